using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Chunk(names)]</c> (equal parts) and <c>[Split(names, Sizes = …)]</c>: cuts the value along <see cref="Dim"/>
/// into named parts, which later steps read as taps. The member ends there: it has no value of its own.
/// </summary>
internal sealed record SplitOp(bool Chunk, EquatableArray<TapRef> Parts, EquatableArray<Dim> Sizes, int Dim) : Op, IProducesTaps
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public override string Name => Chunk ? "Chunk" : "Split";

    public override bool AssignsValue => false;

    public EquatableArray<TapRef> Produced => Parts;

    public bool EndsMember => true;

    // Each part is a view of the value: narrow(dim, start, size).
    public override void Lower(ForwardLowering f)
    {
        var start = Shapes.Dim.Const(0);
        for (var i = 0; i < Parts.Count; i++)
        {
            f.Declare(Parts[i], $"{f.Value}.narrow({CodeText.Int(Dim)}, {f.Code(start)}, {f.Code(Sizes[i])})");
            start += Sizes[i];
        }
    }

    public override string? OnnxGap(OnnxSite site) => null;

    public override void LowerOnnx(OnnxLowering o)
    {
        var start = Shapes.Dim.Const(0);
        for (var i = 0; i < Parts.Count; i++)
        {
            o.Declare(Parts[i], o.Call("Narrow", o.Value, CodeText.Int(Dim), o.Code(start), o.Code(Sizes[i])));
            start += Sizes[i];
        }
    }

    public static Checked? CheckChunk(StepContext s) => Check(s, chunk: true);

    public static Checked? CheckSplit(StepContext s) => Check(s, chunk: false);

    private static Checked? Check(StepContext s, bool chunk)
    {
        var names = s.Items(chunk ? nameof(ChunkAttribute.Into) : nameof(SplitAttribute.Into));
        if (names.Count < 2)
            return s.Fail(DiagnosticDescriptors.MissingArguments, s.Kind, s.MemberName, "name two or more parts");
        if (names.FirstOrDefault(n => n.Kind != ArgKind.String || !Identifier.IsMatch(n.Text)) is { } bad)
            return s.WrongType($"a part's name must be an identifier, not {CheckContext.Describe(bad)}");
        if (names.GroupBy(n => n.Text).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return s.Fail(DiagnosticDescriptors.DuplicateTap, twice.Key, s.MemberName);
        if (s.Axis(chunk ? nameof(ChunkAttribute.Dim) : nameof(SplitAttribute.Dim), -1, s.Rank) is not { } dim)
            return null;

        var size = s.Shape[dim];
        List<Shapes.Dim> sizes;
        if (chunk)
        {
            var count = Shapes.Dim.Const(names.Count);
            if (!s.Model.CheckMultiple(size, count, $"Chunk on '{s.MemberName}': dim {dim} ({size}) must split into {names.Count} equal parts"))
                return s.Fail(DiagnosticDescriptors.UnevenSplit, s.Kind, s.MemberName, size, ShapeText.Format(s.Shape), $"{names.Count} equal parts");
            sizes = Enumerable.Repeat(size.FloorDiv(names.Count), names.Count).ToList();
        }
        else
        {
            var raw = s.Items(nameof(SplitAttribute.Sizes));
            if (raw.Count != names.Count)
                return s.Fail(DiagnosticDescriptors.MissingArguments, s.Kind, s.MemberName, $"give one size per part: {names.Count} names but {raw.Count} sizes");
            sizes = new List<Shapes.Dim>();
            foreach (var arg in raw)
            {
                var part = s.Model.ReadDim(s.Step, arg, nameof(SplitAttribute.Sizes), s.MemberName);
                if (part is null)
                    return null;
                sizes.Add(part);
            }

            var total = sizes.Aggregate(Shapes.Dim.Const(0), (a, b) => a + b);
            if (!s.Model.CheckEqual(total, size, $"Split on '{s.MemberName}': the sizes ({total}) must add up to dim {dim} ({size})"))
                return s.Fail(DiagnosticDescriptors.UnevenSplit, s.Kind, s.MemberName, size, ShapeText.Format(s.Shape), $"parts of {string.Join(" + ", sizes)} = {total}");
        }

        var parts = names.Select(n => new TapRef(n.Text)).ToEquatableArray();
        var op = new SplitOp(chunk, parts, sizes.ToEquatableArray(), dim);
        return new Checked(op, s.Shape, parts.Select((p, i) => (p, s.Shape.With(dim, sizes[i]))).ToList());
    }
}
