namespace ModelDsl;

/// <summary>
/// Adds a skip connection: the value so far plus the tap named by <see cref="From"/> (a <c>Forward</c>
/// parameter or an earlier member, e.g. <c>nameof(Attn)</c>); by default the value that entered this member.
/// Both operands must have the same shape.
/// </summary>
public sealed class ResidualAttribute : StepAttribute
{
    /// <summary>The tap added to the current value, or <see langword="null"/> for this member's input.</summary>
    public string? From { get; set; }
}

/// <summary>
/// Makes this member read the tap <c>from</c> (a <c>Forward</c> parameter or an earlier member) instead of
/// the previous member's output. Use it first in the attribute list.
/// </summary>
public sealed class InputAttribute(string from) : StepAttribute
{
    /// <summary>The tap this member reads.</summary>
    public string From { get; } = from;
}

/// <summary>Concatenates the current value with the named taps along <see cref="Dim"/> (default 1, channels).</summary>
public sealed class ConcatAttribute(params string[] taps) : StepAttribute
{
    /// <summary>The taps appended after the current value, in order.</summary>
    public string[] Taps { get; } = taps;

    /// <summary>The dimension joined; negative counts from the end.</summary>
    public int Dim { get; set; } = 1;
}

/// <summary>
/// Uses another <c>[Model]</c> class, the property's type, as a layer. The arguments are its constructor
/// arguments: constants or hyperparameter expressions of this model. With <see cref="Repeat"/> the property
/// is a <c>ModuleList&lt;TModel&gt;</c> of that many copies applied in sequence, whose state-dict keys are
/// <c>name.0.*</c>, <c>name.1.*</c>, …; each copy must keep the shape it receives.
/// </summary>
public sealed class NestedAttribute(params object[] args) : LayerAttribute
{
    /// <summary>Constructor arguments of the nested model.</summary>
    public object[] Args { get; } = args;

    /// <summary>Number of copies applied in sequence (a constant or a hyperparameter expression), or <see langword="null"/> for one.</summary>
    public object? Repeat { get; set; }

    /// <summary>Taps passed as the nested model's second and later <c>Forward</c> arguments.</summary>
    public string[] Inputs { get; set; } = [];
}
