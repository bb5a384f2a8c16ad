using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[RMSNorm]</c>: root-mean-square normalisation over the last dim (<c>ModelDsl.Layers.RMSNorm</c>), whose size is
/// inferred; one learned scale, <c>weight</c>.
/// </summary>
internal sealed record RMSNormLayer(Dim Features, double Eps) : Layer
{
    private const double DefaultEps = 1e-5;

    public override string Name => "RMSNorm";

    public override string ModuleType => "ModelDsl.Layers.RMSNorm";

    public override Dim Parameters => Features;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [];

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.PassThrough;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call("new global::ModelDsl.Layers.RMSNorm", c.Code(Features), CodeText.Optional("eps", CodeText.Real(Eps), CodeText.Real(DefaultEps)));

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("RMSNorm", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 1)
            return s.Fail(DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "a tensor of rank 1 or more", ShapeText.Format(s.Shape));
        var eps = s.Real(nameof(RMSNormAttribute.Eps), DefaultEps);
        var features = s.Shape[s.Rank - 1];
        if (eps is null || !s.KnownAtConstruction(features, "normalised size"))
            return null;
        if (!(eps.Value >= 0))
            return s.Fail(DiagnosticDescriptors.RealOutOfRange, s.Kind, s.MemberName, $"Eps must not be negative, not {CodeText.Real(eps.Value)}");
        return new Checked(new RMSNormLayer(features, eps.Value), s.Shape);
    }
}
