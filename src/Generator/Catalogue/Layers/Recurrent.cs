using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[LSTM(hidden)]</c> and <c>[GRU(hidden)]</c>: <c>nn.LSTM</c>/<c>nn.GRU</c> with <c>batch_first</c>,
/// <c>[B, T, in] → [B, T, directions · hidden]</c>. The state (<c>h, c</c> for an LSTM, <c>h</c> for a GRU), each
/// <c>[layers · directions, B, hidden]</c>, is read from the <see cref="InitialState"/> taps (zeros when there are
/// none), and the final state is declared as the <see cref="FinalState"/> taps beside the member's own value.
/// </summary>
internal sealed record RecurrentLayer(
    bool Lstm,
    Dim Input,
    Dim Hidden,
    Dim Layers,
    bool Bias,
    RealArg Dropout,
    bool Bidirectional,
    EquatableArray<TapRef> InitialState,
    EquatableArray<TapRef> FinalState) : Layer, IProducesTaps
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public override string Name => Lstm ? "LSTM" : "GRU";

    public override string ModuleType => "TorchSharp.Modules." + Name;

    // Per layer and direction: gate weights over the input (the first layer's, else the previous layer's output),
    // over the state, and two gate biases, as PyTorch's weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}.
    public override Dim Parameters
    {
        get
        {
            var gates = Dim.Const(Lstm ? 4 : 3) * Hidden;
            var directions = Dim.Const(Bidirectional ? 2 : 1);
            var inputs = Input + (Layers - Dim.Const(1)) * directions * Hidden;
            var biases = Bias ? Layers * gates * Dim.Const(2) : Dim.Const(0);
            return directions * (gates * (inputs + Layers * Hidden) + biases);
        }
    }

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes
        => [(nameof(LSTMAttribute.HiddenSize), Hidden), (nameof(LSTMAttribute.Layers), Layers)];

    public override IEnumerable<TapUse> Reads => InitialState.Select(t => new TapUse(t, ValueUse.Values));

    public EquatableArray<TapRef> Produced => FinalState;

    public bool EndsMember => false;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.{Name}", c.Code(Input), c.Code(Hidden), CodeText.Optional("numLayers", c.Code(Layers), "1"),
            Bias ? null : "bias: false", "batchFirst: true", Dropout.IsZero ? null : "dropout: " + c.Code(Dropout), Bidirectional ? "bidirectional: true" : null);

    public override void Lower(ForwardLowering f)
    {
        var state = InitialState.Count == 0 ? ""
            : Lstm ? $", ({f.Local(InitialState[0])}, {f.Local(InitialState[1])})"
            : ", " + f.Local(InitialState[0]);
        var finals = FinalState.Count > 0 ? FinalState.Select(t => (TapRef?)t) : Enumerable.Repeat<TapRef?>(null, Lstm ? 2 : 1);
        // An LSTM goes through ModelDsl.Layers.Recurrent.Lstm, which avoids a libtorch kernel that is wrong in inference.
        f.AssignWith(finals, Lstm ? $"global::ModelDsl.Layers.Recurrent.Lstm({f.Field}, {f.Value}{state})" : $"{f.Field}.call({f.Value}{state})");
    }

    public override string? OnnxGap(OnnxSite site) => null;

    public override void LowerOnnx(OnnxLowering o)
    {
        var state = InitialState.Select(o.Local).ToList();
        var arguments = new[] { o.Value, o.Field, o.Key }.Concat(state).ToArray();
        var finals = FinalState.Count > 0 ? FinalState.Select(t => (TapRef?)t) : Enumerable.Repeat<TapRef?>(null, Lstm ? 2 : 1);
        o.AssignWith(finals, o.Call(Lstm ? "Lstm" : "Gru", arguments));
    }

    public static Checked? CheckLstm(StepContext s) => Check(s, lstm: true);

    public static Checked? CheckGru(StepContext s) => Check(s, lstm: false);

    private static Checked? Check(StepContext s, bool lstm)
    {
        if (!s.RequireRank(3, "[B, T, features] (rank 3)"))
            return null;
        var hidden = s.Dim(nameof(LSTMAttribute.HiddenSize));
        var layers = s.Dim(nameof(LSTMAttribute.Layers), Dim.Const(1));
        var bias = s.Bool(nameof(LSTMAttribute.Bias), true);
        var dropout = s.Rate(nameof(LSTMAttribute.Dropout), 0, display: "dropout");
        var bidirectional = s.Bool(nameof(LSTMAttribute.Bidirectional), false);
        var input = s.Shape[2];
        if (hidden is null || layers is null || bias is null || dropout is null || bidirectional is null || !s.KnownAtConstruction(input, "input feature count"))
            return null;
        var initialNames = StateNames(s, nameof(LSTMAttribute.InitialState), lstm);
        var finalNames = initialNames is null ? null : StateNames(s, nameof(LSTMAttribute.FinalState), lstm);
        if (initialNames is null || finalNames is null)
            return null;

        var directions = Dim.Const(bidirectional.Value ? 2 : 1);
        var stateShape = ShapeText.Shape(layers * directions, s.Shape[0], hidden);
        var initial = new List<TapRef>();
        foreach (var name in initialNames)
        {
            if (s.Taps.Require(s, name) is not { } tap)
                return null;
            if (!s.Model.CheckShapesEqual(tap.Shape, stateShape, $"{s.Kind} '{s.MemberName}': the initial state '{name}' must be {ShapeText.Format(stateShape)}"))
                return s.Fail(DiagnosticDescriptors.RecurrentStateMismatch, s.Kind, s.MemberName, name, ShapeText.Format(stateShape), ShapeText.Format(tap.Shape));
            initial.Add(tap.Ref);
        }

        foreach (var name in finalNames)
        {
            if (!Identifier.IsMatch(name))
                return s.WrongType($"a final state's name must be an identifier, not \"{name}\"");
        }

        if (finalNames.Distinct().Count() != finalNames.Count)
            return s.Fail(DiagnosticDescriptors.DuplicateTap, finalNames.GroupBy(n => n).First(g => g.Count() > 1).Key, s.MemberName);

        var final = finalNames.Select(n => new TapRef(n)).ToEquatableArray();
        var layer = new RecurrentLayer(lstm, input, hidden, layers, bias.Value, dropout, bidirectional.Value, initial.ToEquatableArray(), final);
        var output = ShapeText.Shape(s.Shape[0], s.Shape[1], directions * hidden);
        return new Checked(layer, output, final.Select(t => (t, stateShape)).ToList());
    }

    // An LSTM names its two states in a string[] (both or none), a GRU its one in a string (or null).
    private static List<string>? StateNames(StepContext s, string argument, bool lstm)
    {
        var arg = s.Step.Get(argument);
        if (!lstm)
        {
            return arg switch
            {
                null or { Kind: ArgKind.Null } => new List<string>(),
                { Kind: ArgKind.String, Text.Length: > 0 } => new List<string> { arg.Text },
                _ => Malformed(s, $"{argument} must name a tap, not {CheckContext.Describe(arg)}"),
            };
        }

        var items = s.Items(argument);
        if (items.FirstOrDefault(i => i.Kind != ArgKind.String || i.Text.Length == 0) is { } bad)
            return Malformed(s, $"{argument} must hold tap names, not {CheckContext.Describe(bad)}");
        if (items.Count is not (0 or 2))
        {
            s.Report(DiagnosticDescriptors.RecurrentStateCount, s.Kind, s.MemberName, argument, items.Count);
            return null;
        }

        return items.Select(i => i.Text).ToList();
    }

    private static List<string>? Malformed(StepContext s, string problem)
    {
        s.WrongType(problem);
        return null;
    }
}
