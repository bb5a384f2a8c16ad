using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Identity]</c>: <c>nn.Identity</c>, no weights. A member of type <c>Identity</c> names a chain of steps; its
/// module is never called, the value passes through.
/// </summary>
internal sealed record IdentityLayer : Layer
{
    public override string Name => "Identity";

    public override string ModuleType => "TorchSharp.Modules.Identity";

    public override Dim Parameters => Dim.Const(0);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [];

    public override ValueUse InputUse => ValueUse.NotRead;

    public override bool AssignsValue => false;

    public override string Construct(ConstructionLowering c) => $"{CodeNames.Nn}.Identity()";

    public override void Lower(ForwardLowering f)
    {
    }

    public override string? OnnxGap(OnnxSite site) => null;

    public override void LowerOnnx(OnnxLowering o)
    {
    }

    public static Checked? Check(StepContext s) => new(new IdentityLayer(), s.Shape);
}
