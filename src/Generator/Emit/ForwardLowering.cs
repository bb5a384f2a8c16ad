using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// What an operation's forward code may use while one member is written: the variable holding the flowing value,
/// the member's module field and variable, the locals of taps, and dims and rates in <c>Forward</c>'s terms.
/// </summary>
internal sealed class ForwardLowering
{
    private readonly IndentedWriter _writer;
    private readonly LocalNames _locals;
    private readonly SymbolMap _symbols;

    public ForwardLowering(IndentedWriter writer, LocalNames locals, SymbolMap symbols, string model, MemberPlan member, string input)
    {
        _writer = writer;
        _locals = locals;
        _symbols = symbols;
        Model = model;
        Field = member.FieldName;
        Member = member.Name;
        Target = locals.Of(member);
        Value = input;
    }

    /// <summary>The model's class name, escaped, for messages (<c>nameof(Gpt)</c>).</summary>
    public string Model { get; }

    /// <summary>The member's name, for messages.</summary>
    public string Member { get; }

    /// <summary>The member's module field.</summary>
    public string Field { get; }

    /// <summary>The member's variable, which ends up holding its output.</summary>
    public string Target { get; }

    /// <summary>The variable holding the value flowing into the current operation.</summary>
    public string Value { get; private set; }

    /// <summary>Whether the member's variable has been declared.</summary>
    public bool Declared { get; private set; }

    /// <summary>Whether the current operation may overwrite <see cref="Value"/> (decided by the emitter).</summary>
    public bool InPlace { get; set; }

    /// <summary>
    /// In <c>ForwardAt</c>, the variable holding the position of the first element of the sequence dim (operations that
    /// depend on absolute positions start there); null in <c>Forward</c>, where it is 0.
    /// </summary>
    public string? PositionOffset { get; init; }

    public string Local(TapRef tap) => _locals.Of(tap);

    public string Code(Dim dim) => dim.ToCode(_symbols.Map);

    public string Code(RealArg real) => real.Value is { } value ? CodeText.Real(value) : _symbols.Hyperparameter(real.Hyperparameter!);

    /// <summary>Assigns an expression to the member's variable, declaring it the first time; it becomes the value.</summary>
    public void Assign(string expression)
    {
        _writer.Line(Declared ? $"{Target} = {expression};" : $"var {Target} = {expression};");
        Declared = true;
        Value = Target;
    }

    /// <summary>
    /// Assigns the first element of a tuple-valued expression to the member's variable and the others to the locals of
    /// <paramref name="taps"/> (a null tap is discarded): <c>var (rnn, h, c) = …</c>.
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

    public void Line(string line) => _writer.Line(line);

    public IDisposable Block(string header) => _writer.Block(header);

    public IDisposable Indent() => _writer.Indent();
}
