using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Embedding(count, dim)]</c>: <c>nn.Embedding</c>, integer indices <c>[*]</c> → <c>[*, dim]</c>. A scaled embedding
/// multiplies by √dim, as the original Transformer does, and starts at N(0, 1/dim) so the result has unit variance.
/// </summary>
internal sealed record EmbeddingLayer(Dim Count, Dim Width, bool Scaled) : Layer
{
    /// <summary>The member whose weight this embedding takes, or null.</summary>
    public string? TiedTo { get; init; }

    /// <summary>The <c>bool</c> hyperparameter that decides the tie, or null when it always holds.</summary>
    public string? TiedWhen { get; init; }

    public override string Name => TiedTo is null ? "Embedding" : "Embedding, tied to " + Naming.SnakeCase(TiedTo);

    public override string? TieTarget => TiedTo;

    public override string? TieCondition => TiedWhen;

    public override string ModuleType => "TorchSharp.Modules.Embedding";

    public override Dim Parameters => Count * Width;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(EmbeddingAttribute.Count), Count), (nameof(EmbeddingAttribute.Dim), Width)];

    public override EquatableArray<Dim>? TiedWeight => ShapeText.Shape(Count, Width);

    public override ValueUse InputUse => ValueUse.Indices;

    public override string Construct(ConstructionLowering c) => CodeText.Call($"{CodeNames.Nn}.Embedding", c.Code(Count), c.Code(Width));

    public override IEnumerable<string> AfterConstruction(ConstructionLowering c)
        => Scaled ? [$"{CodeNames.Nn}.init.normal_({c.Field}.weight!, 0.0, 1.0 / global::System.Math.Sqrt({c.Code(Width)}));"] : [];

    protected override string Apply(ForwardLowering f)
        => Scaled ? $"{f.Field}.call({f.Value}) * global::System.Math.Sqrt({f.Code(Width)})" : base.Apply(f);

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o)
    {
        var lookup = o.Call("Embedding", o.Value, o.Field, o.Key);
        return Scaled ? o.Call("Scale", lookup, $"global::System.Math.Sqrt({o.Code(Width)})") : lookup;
    }

    public static Checked? Check(StepContext s)
    {
        var count = s.Dim(nameof(EmbeddingAttribute.Count));
        var width = s.Dim(nameof(EmbeddingAttribute.Dim));
        var scaled = s.Bool(nameof(EmbeddingAttribute.Scaled), false);
        if (!TieArguments.Read(s, out var tiedTo, out var tiedWhen) || count is null || width is null || scaled is null)
            return null;
        var layer = new EmbeddingLayer(count, width, scaled.Value) { TiedTo = tiedTo, TiedWhen = tiedWhen };
        return new Checked(layer, new List<Dim>(s.Shape) { width }.ToEquatableArray());
    }
}
