using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Learned]</c>: a learned <c>Parameter</c> added to the value, such as a position table. Its shape is the
/// value's with a batch of 1, or the one given, which must broadcast to the value without changing it (MDL0130).
/// Drawn from N(0, 0.02²) at first, as torchvision's ViT draws its position table.
/// </summary>
internal sealed record LearnedLayer(EquatableArray<Dim> Shape) : Layer
{
    public const string ParameterType = "TorchSharp.Modules.Parameter";

    public override string Name => "Learned";

    public override string ModuleType => ParameterType;

    public override bool IsParameter => true;

    public override Dim Parameters => Shape.Product(0);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => Shape.Select(d => ("shape", d));

    public override string Construct(ConstructionLowering c)
        => $"new global::{ParameterType}({CodeNames.Torch}.randn({string.Join(", ", Shape.Select(c.Code))}).mul_(0.02))";

    protected override string Apply(ForwardLowering f) => $"{f.Value} + {f.Field}";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Learned", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 1)
            return s.Fail(DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "a tensor of rank 1 or more", ShapeText.Format(s.Shape));
        var raw = s.Items(nameof(LearnedAttribute.Shape));
        if (raw.Count == 0)
        {
            var own = s.Shape.With(0, Dim.Const(1));
            if (own.Skip(1).FirstOrDefault(d => !s.Model.IsKnownAtConstruction(d)) is { } unknown)
                return s.Fail(DiagnosticDescriptors.SizeNotKnownAtConstruction, s.Kind, s.MemberName, "table size (the value's shape after the batch; give the shape)", unknown);
            return new Checked(new LearnedLayer(own), s.Shape);
        }

        var shape = new List<Dim>();
        foreach (var arg in raw)
        {
            var dim = s.Model.ReadDim(s.Step, arg, "shape", s.MemberName);
            if (dim is null)
                return null;
            shape.Add(dim);
        }

        var learned = shape.ToEquatableArray();
        var broadcast = learned.Count <= s.Rank ? Broadcast.Shape(s.Model, s.Shape, learned, $"Learned '{s.MemberName}' must broadcast to the value") : null;
        if (broadcast is null || !s.Model.CheckShapesEqual(broadcast.Value, s.Shape, $"Learned '{s.MemberName}' must not change the value's shape"))
            return s.Fail(DiagnosticDescriptors.LearnedShapeMismatch, s.MemberName, ShapeText.Format(learned), ShapeText.Format(s.Shape));
        return new Checked(new LearnedLayer(learned), s.Shape);
    }
}
