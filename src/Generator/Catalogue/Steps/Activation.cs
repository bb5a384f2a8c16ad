using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>The element-wise functions of <see cref="ActivationOp"/>.</summary>
internal enum ActivationFunction
{
    ReLU,
    LeakyReLU,
    GELU,
    Tanh,
    Sigmoid,
    SiLU,
    Exp,
}

/// <summary>
/// <c>[ReLU]</c>, <c>[LeakyReLU(slope)]</c>, <c>[GELU]</c>, <c>[Tanh]</c>, <c>[Sigmoid]</c>, <c>[SiLU]</c>, <c>[Exp]</c>:
/// element-wise, the shape unchanged. ReLU and LeakyReLU may overwrite a fresh input: their backward needs only
/// their output.
/// </summary>
internal sealed record ActivationOp(ActivationFunction Function, double Slope) : Op
{
    public override string Name => Function.ToString();

    public override bool MayRunInPlace => Function is ActivationFunction.ReLU or ActivationFunction.LeakyReLU;

    protected override string Apply(ForwardLowering f)
    {
        var functional = CodeNames.Functional;
        var inPlace = f.InPlace ? ", inplace: true" : "";
        return Function switch
        {
            ActivationFunction.ReLU => $"{functional}.relu({f.Value}{inPlace})",
            ActivationFunction.LeakyReLU => $"{functional}.leaky_relu({f.Value}, {CodeText.Real(Slope)}{inPlace})",
            ActivationFunction.GELU => $"{functional}.gelu({f.Value})",
            ActivationFunction.Tanh => $"{functional}.tanh({f.Value})",
            ActivationFunction.Sigmoid => $"{functional}.sigmoid({f.Value})",
            ActivationFunction.SiLU => $"{functional}.silu({f.Value})",
            _ => $"{CodeNames.Torch}.exp({f.Value})",
        };
    }

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => Function switch
    {
        ActivationFunction.ReLU => o.Call("Relu", o.Value),
        ActivationFunction.LeakyReLU => o.Call("LeakyRelu", o.Value, CodeText.Real(Slope)),
        ActivationFunction.GELU => o.Call("Gelu", o.Value),
        ActivationFunction.Tanh => o.Call("Tanh", o.Value),
        ActivationFunction.Sigmoid => o.Call("Sigmoid", o.Value),
        ActivationFunction.SiLU => o.Call("Silu", o.Value),
        _ => o.Call("Exp", o.Value),
    };

    public static Checked? Check(StepContext s, ActivationFunction function) => new(new ActivationOp(function, 0), s.Shape);

    public static Checked? CheckLeaky(StepContext s)
        => s.Real(nameof(LeakyReLUAttribute.Slope), 0.01) is { } slope ? new Checked(new ActivationOp(ActivationFunction.LeakyReLU, slope), s.Shape) : null;
}
