using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[BatchNorm1d]</c> on <c>[B, C]</c> or <c>[B, C, L]</c>, <c>[BatchNorm2d]</c> on <c>[B, C, H, W]</c>: the channel
/// count is inferred from dim 1.
/// </summary>
internal sealed record BatchNormLayer(int SpatialDims, Dim Features, double Eps, double Momentum) : Layer
{
    private const double DefaultEps = 1e-5;
    private const double DefaultMomentum = 0.1;

    public override string Name => SpatialDims == 2 ? "BatchNorm2d" : "BatchNorm1d";

    public override string ModuleType => "TorchSharp.Modules." + Name;

    public override Dim Parameters => Features * Dim.Const(2);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [];

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.PassThrough;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.{Name}", c.Code(Features),
            CodeText.Optional("eps", CodeText.Real(Eps), CodeText.Real(DefaultEps)), CodeText.Optional("momentum", CodeText.Real(Momentum), CodeText.Real(DefaultMomentum)));

    public override string? OnnxGap(OnnxSite site) => null;

    // Evaluation semantics: the running statistics, never the batch's.
    protected override string OnnxApply(OnnxLowering o) => o.Call("BatchNorm", o.Value, o.Field, o.Key);

    public static Checked? Check1d(StepContext s) => Check(s, 1, s.Rank is 2 or 3, "[B, C] or [B, C, L]");

    public static Checked? Check2d(StepContext s) => Check(s, 2, s.Rank == 4, "[B, C, H, W] (rank 4)");

    private static Checked? Check(StepContext s, int spatialDims, bool rankFits, string expected)
    {
        if (!rankFits)
            return s.Fail(Diagnostics.DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, expected, ShapeText.Format(s.Shape));
        var eps = s.Real(nameof(BatchNorm2dAttribute.Eps), DefaultEps);
        var momentum = s.Real(nameof(BatchNorm2dAttribute.Momentum), DefaultMomentum);
        if (eps is null || momentum is null || !s.KnownAtConstruction(s.Shape[1], "channel count"))
            return null;
        return new Checked(new BatchNormLayer(spatialDims, s.Shape[1], eps.Value, momentum.Value), s.Shape);
    }
}
