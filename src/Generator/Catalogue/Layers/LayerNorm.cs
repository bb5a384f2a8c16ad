using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary><c>[LayerNorm]</c>: <c>nn.LayerNorm</c> over the last dim, whose size is inferred.</summary>
internal sealed record LayerNormLayer(Dim Features, double Eps, bool Bias) : Layer
{
    private const double DefaultEps = 1e-5;

    public override string Name => "LayerNorm";

    public override string ModuleType => "TorchSharp.Modules.LayerNorm";

    public override Dim Parameters => Bias ? Features * Dim.Const(2) : Features;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [];

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.PassThrough;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.LayerNorm", c.Code(Features), CodeText.Optional("eps", CodeText.Real(Eps), CodeText.Real(DefaultEps)), Bias ? null : "bias: false");

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("LayerNorm", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 1)
            return s.Fail(Diagnostics.DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "a tensor of rank 1 or more", ShapeText.Format(s.Shape));
        var eps = s.Real(nameof(LayerNormAttribute.Eps), DefaultEps);
        var bias = s.Bool(nameof(LayerNormAttribute.Bias), true);
        var features = s.Shape[s.Rank - 1];
        if (eps is null || bias is null || !s.KnownAtConstruction(features, "normalised size"))
            return null;
        return new Checked(new LayerNormLayer(features, eps.Value, bias.Value), s.Shape);
    }
}
