using ModelDsl.Generator.Check;

namespace ModelDsl.Generator.Model;

/// <summary>The checked model the emitter turns into code: every shape resolved, every guard decided.</summary>
internal sealed record ModelPlan(
    ModelSpec Spec,
    EquatableArray<InputPlan> Inputs,
    EquatableArray<MemberPlan> Members,
    EquatableArray<Dim> OutputShape,
    string OutputVariable,
    EquatableArray<GuardPlan> Guards,
    Dim ParameterCount,
    EquatableArray<ColumnLayerPlan>? Column,
    EquatableArray<RateGuardPlan> RateGuards);

/// <summary>A real hyperparameter that must lie in [Min, Max], such as a dropout rate.</summary>
internal sealed record RateGuardPlan(string Name, double Min, double Max, string Usage);

/// <summary>
/// A layer of a progressive column (a Linear or Conv2d member) and the geometry its lateral adapter copies: the
/// value the column records for it, entering the member's operation <see cref="InputOp"/>, and that value's width
/// (channels for a map), the layer's output width, and for convolutions the kernel. A Linear that flattens a
/// <c>[B, C, H, W]</c> map first (<see cref="FlattenedMap"/>) records the map, before its Flatten: its adapter
/// reduces channels with a 1×1 convolution, where V on the flattened input would hold (C·H·W)² weights per earlier column.
/// </summary>
internal sealed record ColumnLayerPlan(string Member, string Kind, int InputOp, EquatableArray<Dim> InputShape, Dim InWidth, Dim OutWidth, Dim? Kernel, Dim? Stride, Dim? Padding, bool FlattenedMap = false);

/// <summary>
/// A <c>Forward</c> argument, the shape its prologue enforces, the symbolic dim each position binds ("" for none),
/// and the local holding its shape (<c>xShape</c>, numbered when a user name takes it).
/// </summary>
internal sealed record InputPlan(string Name, EquatableArray<Dim> Shape, EquatableArray<string> Bindings, string ShapeLocal);

/// <summary>One layer member: the variable it reads, its module, and the operations of its attribute list, in order.</summary>
internal sealed record MemberPlan(
    string InputVariable,
    string Name,
    string Modifiers,
    string TypeName,
    string FieldName,
    string StateKey,
    string Variable,
    LayerPlan? Layer,
    EquatableArray<OpPlan> Ops,
    EquatableArray<Dim> InputShape,
    EquatableArray<Dim> OutputShape,
    Dim Parameters);

/// <summary>
/// How to construct a member's module: its kind and resolved arguments (dims are expressions of the
/// constructor's hyperparameters).
/// </summary>
internal sealed record LayerPlan(string Kind, EquatableArray<OpArg> Args, string? NestedType, Dim? Repeat);

/// <summary>One forward operation. <see cref="Kind"/> is <c>Layer</c> for the member's own module.</summary>
internal sealed record OpPlan(string Kind, EquatableArray<OpArg> Args, EquatableArray<Dim> OutputShape);

/// <summary>A resolved argument: a dim, a literal (already C# source), or a tap variable.</summary>
internal sealed record OpArg(string Name, Dim? Dim, string? Literal)
{
    /// <summary>A real or integer hyperparameter the forward code reads from a field, e.g. a dropout rate.</summary>
    public string? Hyper { get; init; }

    /// <summary>The parameter type a nested model's constructor argument is converted to, when C# does not convert implicitly.</summary>
    public string? Conversion { get; init; }

    public static OpArg Of(string name, Dim dim) => new(name, dim, null);

    public static OpArg Code(string name, string literal) => new(name, null, literal);
}

/// <summary>
/// A check the generator could not decide at compile time: <c>Left == Right</c>, <c>Left &gt; 0</c> or
/// <c>Left % Right == 0</c>. It runs in the constructor when it involves only hyperparameters, else in
/// <c>Forward</c>.
/// </summary>
internal sealed record GuardPlan(GuardKind Kind, Dim Left, Dim Right, string Message, bool AtForward);

internal enum GuardKind
{
    Equal,
    Positive,
    Multiple,
    AtMost,
}

/// <summary>The checker's output: a plan when the model is sound, and the diagnostics.</summary>
internal sealed record CheckResult(ModelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>What the pipeline produces for one model: its source, if it checked, and every diagnostic.</summary>
internal sealed record ModelOutput(GeneratedSource? Source, EquatableArray<DiagnosticInfo> Diagnostics);
