using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Plan;

/// <summary>
/// The checked model: every shape resolved, every operation typed, every undecidable check turned into a guard.
/// The emitter turns it into code; nothing in it is C# text.
/// </summary>
internal sealed record ModelPlan(
    ModelSpec Spec,
    EquatableArray<InputPlan> Inputs,
    EquatableArray<MemberPlan> Members,
    EquatableArray<OutputPlan> Outputs,
    EquatableArray<GuardPlan> Guards,
    Dim ParameterCount,
    EquatableArray<ColumnLayerPlan>? Column,
    EquatableArray<RateGuardPlan> RateGuards)
{
    /// <summary>
    /// Ties that a <c>bool</c> hyperparameter decides: <see cref="ParameterCount"/> counts the weights untied, and each
    /// of these is subtracted when its condition holds.
    /// </summary>
    public EquatableArray<ConditionalTie> ConditionalTies { get; init; } = EquatableArray<ConditionalTie>.Empty;

    /// <summary>Whether Forward returns a tuple of <see cref="Outputs"/> rather than one tensor.</summary>
    public bool ReturnsTuple => Spec.Forward?.ReturnsTuple ?? false;
}

/// <summary>A tie made only when the <c>bool</c> hyperparameter <see cref="Condition"/> is true, and the parameters it saves.</summary>
internal sealed record ConditionalTie(string Condition, Dim Saved);

/// <summary>A <c>Forward</c> argument, the shape its prologue enforces, and the symbolic dim each position binds ("" for none).</summary>
internal sealed record InputPlan(string Name, EquatableArray<Dim> Shape, EquatableArray<string> Bindings);

/// <summary>A value Forward returns: the tuple element's name (null for a single tensor), the tap it returns, and its shape.</summary>
internal sealed record OutputPlan(string? Name, TapRef Tap, EquatableArray<Dim> Shape);

/// <summary>
/// One layer member: the tap it reads, its module, and the operations of its attribute list in order (the layer
/// among them). <see cref="HasValue"/> is false for a member that ends in a split: its parts are the taps.
/// <see cref="StateKey"/> is the layer's <c>Key</c>, else the member's name in snake_case (<c>UpConv1</c> → <c>up_conv1</c>).
/// </summary>
internal sealed record MemberPlan(
    string Name,
    string Modifiers,
    string TypeName,
    TapRef Input,
    Layer Layer,
    EquatableArray<OpPlan> Ops,
    EquatableArray<Dim> InputShape,
    EquatableArray<Dim> OutputShape,
    Dim Parameters,
    bool HasValue,
    string StateKey)
{
    /// <summary>The private field holding the module.</summary>
    public string FieldName => Naming.FieldName(Name);

    /// <summary>The taps its operations produce: the parts of a split, a recurrent layer's final state.</summary>
    public IEnumerable<TapRef> Produced => Ops.Select(o => o.Op).OfType<IProducesTaps>().SelectMany(p => p.Produced);

    /// <summary>What it produces, as comments and docs show it: <c>[B, 10]</c>, <c>mu, logVar</c> or <c>[B, T, 64] and H, C</c>.</summary>
    public string OutputText
    {
        get
        {
            var produced = string.Join(", ", Produced.Select(p => p.Name));
            return !HasValue ? produced : produced.Length == 0 ? ShapeText.Format(OutputShape) : ShapeText.Format(OutputShape) + " and " + produced;
        }
    }
}

/// <summary>An operation and the shape of what it produces.</summary>
internal sealed record OpPlan(Op Op, EquatableArray<Dim> Output);

/// <summary>
/// A check the generator could not decide at compile time: <c>Left == Right</c>, <c>Left &gt; 0</c>,
/// <c>Left % Right == 0</c> or <c>Left ≤ Right</c>. It runs in the constructor when it involves only
/// hyperparameters, else in <c>Forward</c>.
/// </summary>
internal sealed record GuardPlan(GuardKind Kind, Dim Left, Dim Right, string Message, bool AtForward);

internal enum GuardKind
{
    Equal,
    Positive,
    Multiple,
    AtMost,
}

/// <summary>A real hyperparameter that must lie in [Min, Max], such as a dropout rate.</summary>
internal sealed record RateGuardPlan(string Name, double Min, double Max, string Usage);

/// <summary>
/// A layer of a progressive column and its lateral adapter: the value the column records for it, entering the
/// member's operation <see cref="InputOp"/>, of shape <see cref="InputShape"/>.
/// </summary>
internal sealed record ColumnLayerPlan(string Member, int InputOp, EquatableArray<Dim> InputShape, LateralAdapterPlan Adapter);

/// <summary>
/// A lateral adapter of Rusu et al. (2016): <c>V</c> maps the earlier columns' concatenated inputs back to one
/// column's width (a 1×1 convolution for maps), <c>U</c> has the layer's geometry without bias.
/// </summary>
internal abstract record LateralAdapterPlan(Dim InWidth, Dim OutWidth);

/// <summary>For a Linear: dense V and U.</summary>
internal sealed record DenseAdapterPlan(Dim InWidth, Dim OutWidth) : LateralAdapterPlan(InWidth, OutWidth);

/// <summary>For a Conv2d: a 1×1 convolution V and a convolution U with the layer's kernel, stride and padding.</summary>
internal sealed record ConvAdapterPlan(Dim InWidth, Dim OutWidth, Dim Kernel, Dim Stride, Dim Padding) : LateralAdapterPlan(InWidth, OutWidth);

/// <summary>
/// For a Linear reading a flattened <c>[B, C, H, W]</c> map: V is a 1×1 convolution on the map (V on the flattened
/// input would hold (C·H·W)² weights per earlier column), flattened before U.
/// </summary>
internal sealed record FlattenedMapAdapterPlan(Dim InWidth, Dim OutWidth, Dim Features) : LateralAdapterPlan(InWidth, OutWidth);

/// <summary>A real-valued argument: a number, or the name of a real or integer hyperparameter read at run time.</summary>
internal sealed record RealArg(double? Value, string? Hyperparameter)
{
    public static RealArg Of(double value) => new(value, null);

    public bool IsZero => Value == 0;
}

/// <summary>The checker's output: a plan when the model is sound, and the diagnostics.</summary>
internal sealed record CheckResult(ModelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>What the pipeline produces for one model: its source, if it checked, and every diagnostic.</summary>
internal sealed record ModelOutput(GeneratedSource? Source, EquatableArray<DiagnosticInfo> Diagnostics);
