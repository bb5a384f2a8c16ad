using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// What an operation's ONNX lowering may use while one member is written: the <c>graph</c> builder, the local
/// holding the flowing value, the member's module field and state-dict key, the locals of taps, and dims in the
/// graph's terms (hyperparameters are numbers, symbolic input dims are <c>OnnxDim</c> locals computed in the graph).
/// </summary>
internal sealed class OnnxLowering
{
    public const string GraphName = "graph";

    private readonly IndentedWriter _writer;
    private readonly LocalNames _locals;
    private readonly SymbolMap _symbols;

    public OnnxLowering(IndentedWriter writer, LocalNames locals, SymbolMap symbols, MemberPlan member, string input, OnnxSite site)
    {
        _writer = writer;
        _locals = locals;
        _symbols = symbols;
        Field = member.FieldName;
        Key = "\"" + CodeText.Escape(member.StateKey) + "\"";
        Target = locals.Of(member);
        Value = input;
        Site = site;
    }

    /// <summary>The builder: <c>graph</c>.</summary>
    public string Graph => GraphName;

    /// <summary>The member's module field.</summary>
    public string Field { get; }

    /// <summary>The member's state-dict key as a C# string literal, under which its weights are named.</summary>
    public string Key { get; }

    /// <summary>The member's variable, which ends up holding its output.</summary>
    public string Target { get; }

    /// <summary>The variable holding the value flowing into the current operation.</summary>
    public string Value { get; private set; }

    /// <summary>The current operation's input shape and which of its dims are static.</summary>
    public OnnxSite Site { get; set; }

    /// <summary>Whether the member's variable has been declared.</summary>
    public bool Declared { get; private set; }

    public string Local(TapRef tap) => _locals.Of(tap);

    /// <summary>A dim: a C# integer expression of hyperparameters, or an <c>OnnxDim</c> expression of input dims.</summary>
    public string Code(Dim dim) => dim.ToCode(_symbols.Map);

    public string Code(RealArg real) => real.Value is { } value ? CodeText.Real(value) : _symbols.Hyperparameter(real.Hyperparameter!);

    /// <summary>Several dims as arguments: <c>4 * Width, Size / 4</c>.</summary>
    public string Codes(EquatableArray<Dim> dims) => string.Join(", ", dims.Select(Code));

    /// <summary>Assigns an expression to the member's variable, declaring it the first time; it becomes the value.</summary>
    public void Assign(string expression)
    {
        _writer.Line(Declared ? $"{Target} = {expression};" : $"var {Target} = {expression};");
        Declared = true;
        Value = Target;
    }

    /// <summary>
    /// Assigns the first element of a tuple to the member's variable and the others to the locals of the taps it
    /// produces (discarded where null), declaring them; the first becomes the value.
    /// </summary>
    public void AssignWith(IEnumerable<TapRef?> taps, string expression)
    {
        var names = taps.Select(t => t is null ? "_" : Local(t)).ToList();
        if (Declared)
            _writer.Line($"({Target}, {string.Join(", ", names.Select(n => n == "_" ? n : "var " + n))}) = {expression};");
        else
            _writer.Line($"var ({Target}, {string.Join(", ", names)}) = {expression};");
        Declared = true;
        Value = Target;
    }

    /// <summary>Makes the member's variable hold the value, declaring it if nothing has yet (an alias).</summary>
    public void Settle()
    {
        if (!Declared)
            Assign(Value);
    }

    /// <summary>Declares the local of a tap this operation produces (a split's part).</summary>
    public void Declare(TapRef tap, string expression) => _writer.Line($"var {Local(tap)} = {expression};");

    /// <summary>A call on the builder: <c>graph.Relu(x)</c>.</summary>
    public string Call(string method, params string[] arguments) => $"{Graph}.{method}({string.Join(", ", arguments)})";
}
