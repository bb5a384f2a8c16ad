using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[SinusoidalEncoding]</c>: adds the fixed sine/cosine positions of Vaswani et al. (2017) to <c>[B, T, E]</c>.</summary>
internal sealed record SinusoidalEncodingOp : Op
{
    public override string Name => "SinusoidalEncoding";

    public override bool DependsOnPosition => true;

    protected override string Apply(ForwardLowering f)
        => $"{f.Value} + global::ModelDsl.Layers.PositionalEncoding.Sinusoidal({(f.PositionOffset is { } start ? start + ", " : "")}{f.Value}.shape[1], {f.Value}.shape[2], {f.Value}.device, {f.Value}.dtype)";

    // The frequencies are built for a known width; the length may be anything.
    public override string? OnnxGap(OnnxSite site) => site.IsStatic(site.Input[2]) ? null : $"its width {site.Input[2]} is known only at run time";

    protected override string OnnxApply(OnnxLowering o) => o.Call("SinusoidalEncoding", o.Value, o.Code(o.Site.Input[2]));

    public static Checked? Check(StepContext s) => s.RequireRank(3, "[B, T, E] (rank 3)") ? new Checked(new SinusoidalEncodingOp(), s.Shape) : null;
}
