using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[PositionalEmbedding(maxLength)]</c>: a learned position table (<c>nn.Embedding(maxLength, E)</c>) added to a
/// sequence <c>[B, T, E]</c>; <c>T</c> must not exceed <see cref="MaxLength"/>.
/// </summary>
internal sealed record PositionalEmbeddingLayer(Dim MaxLength, Dim Width) : Layer
{
    public override string Name => "PositionalEmbedding";

    public override string Describe => "Embedding";

    public override string ModuleType => "TorchSharp.Modules.Embedding";

    public override Dim Parameters => MaxLength * Width;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(PositionalEmbeddingAttribute.MaxLength), MaxLength)];

    public override string Construct(ConstructionLowering c) => CodeText.Call($"{CodeNames.Nn}.Embedding", c.Code(MaxLength), c.Code(Width));

    public override bool DependsOnPosition => true;

    public override void Lower(ForwardLowering f)
    {
        if (f.PositionOffset is not { } start)
        {
            f.Assign($"{f.Value} + {f.Field}.call({CodeNames.Torch}.arange({f.Value}.shape[1], device: {f.Value}.device))");
            return;
        }

        // Past the table's last row there is no position to embed.
        f.Line($"if ({start} + {f.Value}.shape[1] > {f.Code(MaxLength)})");
        using (f.Indent())
            f.Line($"throw new {CodeNames.ShapeMismatch}(nameof({f.Model}), $\"PositionalEmbedding '{f.Member}': positions {{{start}}} to {{{start} + {f.Value}.shape[1] - 1}} exceed its {{{f.Code(MaxLength)}}} rows\");");
        f.Assign($"{f.Value} + {f.Field}.call({CodeNames.Torch}.arange({start}, {start} + {f.Value}.shape[1], device: {f.Value}.device))");
    }

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("PositionalEmbedding", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(3, "[B, T, E] (rank 3)"))
            return null;
        var maxLength = s.Dim(nameof(PositionalEmbeddingAttribute.MaxLength));
        var width = s.Shape[2];
        if (maxLength is null || !s.KnownAtConstruction(width, "embedding width"))
            return null;
        if (!s.Model.CheckAtMost(s.Shape[1], maxLength, $"PositionalEmbedding '{s.MemberName}': sequence length {s.Shape[1]} exceeds {maxLength}"))
            return s.Fail(DiagnosticDescriptors.SequenceTooLong, s.MemberName, maxLength, ShapeText.Format(s.Shape));
        return new Checked(new PositionalEmbeddingLayer(maxLength, width), s.Shape);
    }
}
