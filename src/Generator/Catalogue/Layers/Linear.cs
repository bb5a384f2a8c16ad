using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Linear(out)]</c>: <c>nn.Linear</c> over the last dim, <c>[*, in] → [*, out]</c>. The input features are
/// inferred, or checked when given. <see cref="TiedTo"/> shares the weight of another member (GPT's head).
/// </summary>
internal sealed record LinearLayer(Dim In, Dim Out, bool Bias, string? TiedTo) : Layer
{
    /// <summary>The <c>bool</c> hyperparameter that decides the tie, or null when it always holds.</summary>
    public string? TiedWhen { get; init; }

    public override string? TieTarget => TiedTo;

    public override string? TieCondition => TiedWhen;

    public override string Name => TiedTo is null ? "Linear" : "Linear, tied to " + Naming.SnakeCase(TiedTo);

    public override string ModuleType => "TorchSharp.Modules.Linear";

    public override Dim Parameters => In * Out + (Bias ? Out : Dim.Const(0));

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(LinearAttribute.OutFeatures), Out)];

    public override EquatableArray<Dim>? TiedWeight => ShapeText.Shape(Out, In);

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.Adapted;

    public override LateralAdapterPlan LateralAdapter(EquatableArray<Dim> input, bool flattenedMap)
        => flattenedMap ? new FlattenedMapAdapterPlan(input[1], Out, input.Product(1)) : new DenseAdapterPlan(In, Out);

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.Linear", c.Code(In), c.Code(Out), Bias ? null : "hasBias: false");

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Linear", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 1)
            return s.Fail(DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "a tensor of rank 1 or more", ShapeText.Format(s.Shape));

        var outFeatures = s.Dim(nameof(LinearAttribute.OutFeatures));
        var declaredIn = s.Has(nameof(LinearAttribute.InFeatures)) ? s.Dim(nameof(LinearAttribute.InFeatures)) : null;
        var bias = s.Bool(nameof(LinearAttribute.Bias), true);
        if (!TieArguments.Read(s, out var tiedTo, out var tiedWhen))
            return null;
        if (outFeatures is null || bias is null || (s.Has(nameof(LinearAttribute.InFeatures)) && declaredIn is null))
            return null;

        var inFeatures = s.Shape[s.Rank - 1];
        if (declaredIn is not null && !s.Model.CheckEqual(inFeatures, declaredIn, $"Linear '{s.MemberName}' expects {declaredIn} input features"))
            return s.Fail(DiagnosticDescriptors.FeatureMismatch, s.SetArgument(nameof(LinearAttribute.InFeatures), inFeatures), s.Kind, s.MemberName,
                ShapeText.Format(s.Shape.With(s.Rank - 1, declaredIn)), ShapeText.Format(s.Shape), $"; Linear({inFeatures}, {outFeatures}) fits, as does Linear({outFeatures}), which infers it");
        if (!s.KnownAtConstruction(inFeatures, "input feature count"))
            return null;

        var layer = new LinearLayer(inFeatures, outFeatures, bias.Value, tiedTo) { TiedWhen = tiedWhen };
        return new Checked(layer, s.Shape.With(s.Rank - 1, outFeatures));
    }
}
