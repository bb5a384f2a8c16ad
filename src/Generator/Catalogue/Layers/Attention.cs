using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Attention]</c>: multi-head attention of the original Transformer (<c>ModelDsl.Layers.Attention</c>): queries from
/// the flowing <c>[B, T, E]</c>, keys and values from the <see cref="Memory"/> tap <c>[B, S, E]</c> (else the value
/// itself), optionally ignoring the keys the <see cref="KeyPadding"/> mask <c>[B, S]</c> marks, optionally causal, with
/// rotary positions (self-attention only) and without biases when asked.
/// </summary>
internal sealed record AttentionLayer(Dim Embed, Dim Heads, RealArg Dropout, bool Causal, TapRef? Memory, TapRef? KeyPadding, double? RotaryBase, bool Bias) : Layer
{
    public override string Name => "Attention";

    public override string ModuleType => "ModelDsl.Layers.Attention";

    public override Dim Parameters => AttentionWidth.Parameters(Embed, Bias);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(AttentionAttribute.Heads), Heads)];

    public override IEnumerable<TapUse> Reads
    {
        get
        {
            if (Memory is not null)
                yield return new TapUse(Memory, ValueUse.Values);
            if (KeyPadding is not null)
                yield return new TapUse(KeyPadding, ValueUse.Mask);
        }
    }

    public override string Construct(ConstructionLowering c)
        => $"new global::ModelDsl.Layers.Attention({c.Code(Embed)}, {c.Code(Heads)}{AttentionWidth.DropoutArgument(c.Code(Dropout))}{(Causal ? ", causal: true" : "")}{AttentionWidth.RotaryArguments(RotaryBase)}{(Bias ? "" : ", bias: false")})";

    protected override string Apply(ForwardLowering f)
        => $"{f.Field}.call({f.Value}, {(Memory is null ? f.Value : f.Local(Memory))}, {(KeyPadding is null ? "null" : f.Local(KeyPadding))})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o)
        => o.Call("Attention", o.Value, Memory is null ? o.Value : o.Local(Memory), KeyPadding is null ? "null" : o.Local(KeyPadding), o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (AttentionWidth.Read(s, nameof(AttentionAttribute.Heads), nameof(AttentionAttribute.Dropout)) is not var (embed, heads, dropout))
            return null;
        var causal = s.Bool(nameof(AttentionAttribute.Causal), false);
        var bias = s.Bool(nameof(AttentionAttribute.Bias), true);
        if (causal is null || bias is null)
            return null;
        if (!AttentionWidth.ReadRotary(s, embed, heads, nameof(AttentionAttribute.Rotary), nameof(AttentionAttribute.RotaryBase), out var theta))
            return null;
        // Rotary positions compare a query's position with a key's in one sequence; a memory has positions of its own.
        if (theta is not null && s.Has(nameof(AttentionAttribute.Memory)))
            return s.Fail(DiagnosticDescriptors.ArgumentsConflict, s.Kind, s.MemberName, "Rotary applies to self-attention; it cannot be combined with Memory");

        TapRef? memory = null;
        var source = s.Shape[1];
        if (s.Has(nameof(AttentionAttribute.Memory)))
        {
            var tap = s.Tap(nameof(AttentionAttribute.Memory));
            if (tap is null)
                return null;
            var expected = ShapeText.Shape(s.Shape[0], tap.Shape.Count == 3 ? tap.Shape[1] : Dim.Symbol("S"), embed);
            if (tap.Shape.Count != 3 || !s.Model.CheckEqual(tap.Shape[0], s.Shape[0], $"Attention '{s.MemberName}': memory batch")
                || !s.Model.CheckEqual(tap.Shape[2], embed, $"Attention '{s.MemberName}': memory width"))
                return s.Fail(DiagnosticDescriptors.AttentionOperandMismatch, s.MemberName, "memory " + ShapeText.Format(expected), ShapeText.Format(tap.Shape));
            memory = tap.Ref;
            source = tap.Shape[1];
        }

        TapRef? padding = null;
        if (s.Has(nameof(AttentionAttribute.KeyPadding)))
        {
            var tap = s.Tap(nameof(AttentionAttribute.KeyPadding));
            if (tap is null)
                return null;
            var expected = ShapeText.Shape(s.Shape[0], source);
            if (!s.Model.CheckShapesEqual(tap.Shape, expected, $"Attention '{s.MemberName}': key padding mask"))
                return s.Fail(DiagnosticDescriptors.AttentionOperandMismatch, s.MemberName, "a key padding mask " + ShapeText.Format(expected), ShapeText.Format(tap.Shape));
            padding = tap.Ref;
        }

        return new Checked(new AttentionLayer(embed, heads, dropout, causal.Value, memory, padding, theta, bias.Value), s.Shape);
    }
}
