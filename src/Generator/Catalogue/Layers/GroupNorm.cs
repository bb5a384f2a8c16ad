using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[GroupNorm(groups)]</c>: <c>nn.GroupNorm</c> over <c>[B, C, *]</c>, the channel count inferred from dim 1 and
/// required to be a multiple of the groups (MDL0127).
/// </summary>
internal sealed record GroupNormLayer(Dim Groups, Dim Channels, double Eps, bool Affine) : Layer
{
    private const double DefaultEps = 1e-5;

    public override string Name => "GroupNorm";

    public override string ModuleType => "TorchSharp.Modules.GroupNorm";

    public override Dim Parameters => Affine ? Channels * Dim.Const(2) : Dim.Const(0);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(GroupNormAttribute.Groups), Groups)];

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.PassThrough;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.GroupNorm", c.Code(Groups), c.Code(Channels),
            CodeText.Optional("eps", CodeText.Real(Eps), CodeText.Real(DefaultEps)), Affine ? null : "affine: false");

    // TorchSharp's GroupNorm leaves its affine parameters as allocated (torch.empty): set them as PyTorch's
    // reset_parameters does, ones and zeros.
    public override IEnumerable<string> AfterConstruction(ConstructionLowering c)
        => Affine ? [$"{CodeNames.Nn}.init.ones_({c.Field}.weight!);", $"{CodeNames.Nn}.init.zeros_({c.Field}.bias!);"] : [];

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("GroupNorm", o.Value, o.Field, o.Key, CodeText.Int(o.Site.Input.Count));

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 2)
            return s.Fail(DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "[B, C, *] (rank 2 or more)", ShapeText.Format(s.Shape));
        var groups = s.Dim(nameof(GroupNormAttribute.Groups));
        var eps = s.Real(nameof(GroupNormAttribute.Eps), DefaultEps);
        var affine = s.Bool(nameof(GroupNormAttribute.Affine), true);
        var channels = s.Shape[1];
        if (groups is null || eps is null || affine is null || !s.KnownAtConstruction(channels, "channel count"))
            return null;
        if (!s.Model.CheckMultiple(channels, groups, $"GroupNorm '{s.MemberName}': the channels ({channels}) must be a multiple of the groups ({groups})"))
            return s.Fail(DiagnosticDescriptors.GroupsDoNotDivideChannels, s.MemberName, channels, ShapeText.Format(s.Shape), groups);
        return new Checked(new GroupNormLayer(groups, channels, eps.Value, affine.Value), s.Shape);
    }
}
