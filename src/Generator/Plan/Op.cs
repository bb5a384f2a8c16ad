using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Plan;

/// <summary>
/// One forward operation of the checked model: a step (an activation, a reshape, a wiring step) or a member's own
/// layer. Each kind is a sealed record in <c>Catalogue/</c>, in one file with its shape rule, so the file that adds
/// a kind also says how it runs; records compare by value, so plans cache by content.
/// </summary>
internal abstract record Op
{
    /// <summary>The operation as a member's chain shows it in XML docs: <c>ReLU</c>, <c>Residual</c>.</summary>
    public abstract string Name { get; }

    /// <summary>How the operation uses the value flowing into it (for a <c>Forward</c> argument's element-type check).</summary>
    public virtual ValueUse InputUse => ValueUse.Values;

    /// <summary>The taps it reads besides the flowing value, and how.</summary>
    public virtual IEnumerable<TapUse> Reads => [];

    /// <summary>Whether it reads absolute positions along the sequence dim (a model with one gets <c>ForwardAt</c>).</summary>
    public virtual bool DependsOnPosition => false;

    /// <summary>Whether it assigns the member's variable; false for an identity, which leaves the value where it is.</summary>
    public virtual bool AssignsValue => true;

    /// <summary>Whether it may overwrite a fresh input instead of allocating (PyTorch's <c>inplace=True</c>).</summary>
    public virtual bool MayRunInPlace => false;

    /// <summary>Writes the operation's forward code: by default, one assignment of <see cref="Apply"/>.</summary>
    public virtual void Lower(ForwardLowering f) => f.Assign(Apply(f));

    /// <summary>The C# expression that applies the operation to <see cref="ForwardLowering.Value"/>.</summary>
    protected virtual string Apply(ForwardLowering f) => throw new System.NotSupportedException(Name + " writes its own statements");

    /// <summary>
    /// Why the operation cannot be written as ONNX at <paramref name="site"/> (MDL0201 quotes it), or null when
    /// <see cref="LowerOnnx"/> writes it. A kind exports only once its file says how: the default is that it does not.
    /// </summary>
    public virtual string? OnnxGap(OnnxSite site) => "no ONNX lowering is written for it yet";

    /// <summary>Writes the operation's ONNX builder calls: by default, one assignment of <see cref="OnnxApply"/>.</summary>
    public virtual void LowerOnnx(OnnxLowering o) => o.Assign(OnnxApply(o));

    /// <summary>The C# expression that adds the operation's ONNX nodes for <see cref="OnnxLowering.Value"/>.</summary>
    protected virtual string OnnxApply(OnnxLowering o) => throw new System.NotSupportedException(Name + " has no ONNX lowering");
}

/// <summary>Where an operation sits, as far as its ONNX lowering cares: the shape flowing in, and which dims are known only at run time.</summary>
internal sealed class OnnxSite(EquatableArray<Shapes.Dim> input, ISet<string> runtimeSymbols)
{
    /// <summary>The shape of the value flowing into the operation.</summary>
    public EquatableArray<Shapes.Dim> Input { get; } = input;

    /// <summary>Whether a dim is a number when the graph is built (it mentions only hyperparameters, not input dims such as <c>T</c>).</summary>
    public bool IsStatic(Shapes.Dim dim) => dim.Symbols.All(s => !runtimeSymbols.Contains(s));
}

/// <summary>How an operation uses a tensor: which element-type check a <c>Forward</c> argument it reads first gets.</summary>
internal enum ValueUse
{
    /// <summary>Values of the parameters' floating-point type.</summary>
    Values,

    /// <summary>Integer token indices (an embedding's input).</summary>
    Indices,

    /// <summary>A boolean mask (attention's key padding).</summary>
    Mask,

    /// <summary>Handed on unchecked: a nested model's own prologue checks it.</summary>
    Unchecked,

    /// <summary>Not read at all: the value only passes through (an identity), so a later operation decides.</summary>
    NotRead,
}

/// <summary>A tap an operation reads, and how.</summary>
internal readonly record struct TapUse(TapRef Tap, ValueUse Use);

/// <summary>A named value: a <c>Forward</c> argument, an earlier member's output, or a part of a split.</summary>
internal sealed record TapRef(string Name);

/// <summary>An operation that produces named taps of its own: the parts of a split, a recurrent layer's final state.</summary>
internal interface IProducesTaps
{
    EquatableArray<TapRef> Produced { get; }

    /// <summary>
    /// Whether the member ends here with only the produced taps (a split), rather than keeping a value of its own
    /// beside them (a recurrent layer's output sequence beside its final state).
    /// </summary>
    bool EndsMember { get; }
}
