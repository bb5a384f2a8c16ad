using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>The code of <c>forward</c>/<c>Forward</c>, and the hyperparameter fields it reads.</summary>
internal sealed record ForwardCode(string Text, SortedDictionary<string, string> FieldsRead);

/// <summary>
/// Writes <c>forward</c>/<c>Forward</c>: the argument checks (rank, static dims, symbolic dims bound on first use,
/// then element type and device), the checks that depend on input dims, then each member's operations inside a
/// dispose scope so every intermediate is freed when Forward returns. A progressive column also gets
/// <c>ForwardColumn</c>, the same body with lateral hooks.
/// </summary>
internal static class ForwardEmitter
{
    /// <summary>ForwardAt's parameter: the position of the first element fed.</summary>
    public const string PositionOffset = "positionOffset";

    public static ForwardCode Emit(ModelPlan plan)
    {
        var spec = plan.Spec;
        var locals = new LocalNames(plan);
        var symbols = new SymbolMap(spec, plan.Inputs.SelectMany(i => i.Bindings).Where(b => b.Length > 0));
        var model = Naming.Escape(spec.Name);

        // The bodies first: they tell which symbolic dims and fields the code reads. A model of one sequence whose
        // operations read absolute positions also gets ForwardAt, the same body from a given position, for incremental
        // decoding (with several inputs it would be ambiguous which sequence the position counts).
        var body = new IndentedWriter();
        EmitBody(body, plan, locals, symbols, model, positionOffset: null);
        var positional = plan.Column is null && plan.Inputs.Count == 1 && plan.Members.Any(m => m.Ops.Any(o => o.Op.DependsOnPosition));
        var bodyAt = new IndentedWriter();
        if (positional)
            EmitBody(bodyAt, plan, locals, symbols, model, PositionOffset);
        var prologue = new IndentedWriter();
        EmitPrologue(prologue, plan, locals, symbols, model);

        var w = new IndentedWriter();
        var arguments = string.Join(", ", plan.Inputs.Select(i => CodeNames.Tensor + " " + Naming.Escape(i.Name)));
        var names = string.Join(", ", plan.Inputs.Select(i => Naming.Escape(i.Name)));
        var returnType = ReturnType(plan);
        w.Line("/// <inheritdoc cref=\"Forward\"/>");
        w.Line($"public override {returnType} forward({arguments}) => Forward({names});");
        w.Line();
        w.Line($"/// <summary>{string.Join(", ", plan.Inputs.Select(i => ModelEmitter.Xml(i.Name + ": " + ShapeText.Format(i.Shape))))} → {ModelEmitter.Xml(OutputText(plan))}.</summary>");
        w.Line($"/// <exception cref=\"{CodeNames.ShapeMismatch}\">An argument does not have the declared shape.</exception>");
        w.Line($"/// <exception cref=\"{CodeNames.TensorArgument}\">An argument has the wrong element type or device.</exception>");
        if (plan.Column is not null)
        {
            w.Line($"{spec.Forward!.Modifiers} partial {returnType} Forward({arguments}) => ForwardColumn({names}, null, null);");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"public {returnType} ForwardColumn({arguments}, {CodeNames.TensorList}? layerInputs, {CodeNames.LateralHook}? lateral)");
        }
        else
        {
            w.Line($"{spec.Forward!.Modifiers} partial {returnType} Forward({arguments})");
        }

        w.Line("{");
        using (w.Indent())
        {
            // Each argument's check ends with a blank line.
            w.Lines(prologue.ToString().TrimEnd('\n'));
            w.Line();
            w.Lines(body.ToString().TrimEnd('\n'));
        }

        w.Line("}");

        if (positional)
        {
            w.Line();
            w.Line($"/// <summary>");
            w.Line($"/// <see cref=\"Forward\"/> for the elements at positions <paramref name=\"{PositionOffset}\"/> onwards of a longer sequence, for");
            w.Line($"/// incremental decoding: with the key/value caches of a <see cref=\"global::ModelDsl.Layers.DecodingSession\"/>, each call");
            w.Line($"/// feeds only the new elements.");
            w.Line($"/// </summary>");
            w.Line($"public {returnType} ForwardAt({arguments}, long {PositionOffset})");
            w.Line("{");
            using (w.Indent())
            {
                w.Line($"if ({PositionOffset} < 0)");
                using (w.Indent())
                    w.Line($"throw new global::System.ArgumentOutOfRangeException(nameof({PositionOffset}), {PositionOffset}, \"must be zero or more\");");
                w.Lines(prologue.ToString().TrimEnd('\n'));
                w.Line();
                w.Lines(bodyAt.ToString().TrimEnd('\n'));
            }

            w.Line("}");
        }

        if (plan.Column is { } column)
        {
            w.Line();
            ColumnEmitter.EmitMembers(w, column, symbols);
        }

        return new ForwardCode(w.ToString().TrimEnd('\n'), symbols.FieldsRead);
    }

    /// <summary>
    /// <c>Tensor</c>, or for several outputs the tuple with the user's element names:
    /// <c>(global::TorchSharp.torch.Tensor Mu, global::TorchSharp.torch.Tensor LogVar)</c>.
    /// </summary>
    public static string ReturnType(ModelPlan plan)
        => plan.ReturnsTuple ? "(" + string.Join(", ", plan.Outputs.Select(o => $"{CodeNames.Tensor} {o.Name}")) + ")" : CodeNames.Tensor;

    /// <summary>The outputs as docs show them: <c>[B, 10]</c>, or <c>(Mu: [B, latent], LogVar: [B, latent])</c>.</summary>
    public static string OutputText(ModelPlan plan)
        => plan.ReturnsTuple ? "(" + string.Join(", ", plan.Outputs.Select(o => o.Name + ": " + ShapeText.Format(o.Shape))) + ")" : ShapeText.Format(plan.Outputs[0].Shape);

    private static void EmitPrologue(IndentedWriter w, ModelPlan plan, LocalNames locals, SymbolMap symbols, string model)
    {
        var used = new HashSet<string>(symbols.RuntimeSymbolsRead, StringComparer.Ordinal);
        used.UnionWith(SymbolsComparedByLaterPositions(plan));
        var kinds = ArgumentKinds.Of(plan);
        foreach (var input in plan.Inputs)
        {
            var name = Naming.Escape(input.Name);
            var shape = locals.ShapeOf(input);
            var conditions = new List<string> { $"{shape}.Length != {input.Shape.Count}" };
            var declarations = new List<string>();
            // Symbols this argument binds, by position: compared by position, as their locals come after the check.
            var binding = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < input.Shape.Count; i++)
            {
                var symbol = input.Bindings[i];
                if (symbol.Length > 0 && !binding.ContainsKey(symbol))
                {
                    binding[symbol] = i;
                    if (used.Contains(symbol))
                        declarations.Add($"var {symbol} = {shape}[{i}];");
                    continue;
                }

                var code = input.Shape[i].ToCode(s => binding.TryGetValue(s, out var position) ? $"{shape}[{position}]" : symbols.Map(s));
                conditions.Add($"{shape}[{i}] != {code}");
            }

            w.Line($"var {shape} = {name}.shape;");
            w.Line($"if ({string.Join(" || ", conditions)})");
            using (w.Indent())
                w.Line($"throw {CodeNames.ShapeMismatch}.ForArgument(nameof({model}), \"{input.Name}\", \"{ShapeText.Format(input.Shape)}\", {shape});");
            if (kinds.TryGetValue(input.Name, out var kind))
                w.Line($"{CodeNames.ArgumentChecks}.{kind}(this, nameof({model}), \"{input.Name}\", {name});");
            foreach (var line in declarations)
                w.Line(line);
            w.Line();
        }
    }

    // Symbols a later position of the prologue compares against after their own argument bound them.
    private static IEnumerable<string> SymbolsComparedByLaterPositions(ModelPlan plan)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in plan.Inputs)
        {
            var bindingHere = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < input.Shape.Count; i++)
            {
                if (input.Bindings[i].Length > 0 && seen.Add(input.Bindings[i]))
                {
                    bindingHere.Add(input.Bindings[i]);
                    continue;
                }

                foreach (var symbol in input.Shape[i].Symbols.Where(s => !bindingHere.Contains(s)))
                    yield return symbol;
            }
        }
    }

    private static void EmitBody(IndentedWriter w, ModelPlan plan, LocalNames locals, SymbolMap symbols, string model, string? positionOffset)
    {
        var forwardGuards = plan.Guards.Where(g => g.AtForward).ToList();
        foreach (var guard in forwardGuards)
            GuardCode.Emit(w, model, guard, symbols.Map);
        if (forwardGuards.Count > 0)
            w.Line();

        w.Line($"using var scope = {CodeNames.Torch}.NewDisposeScope();");
        // An argument belongs to the caller; an intermediate is moved out of the scope to outlive it.
        var arguments = new HashSet<string>(plan.Inputs.Select(i => Naming.Escape(i.Name)), StringComparer.Ordinal);
        var layerIndex = 0;
        foreach (var member in plan.Members)
        {
            var column = plan.Column?.FirstOrDefault(l => l.Member == member.Name);
            w.Line();
            w.Line($"// {member.Name}: {ShapeText.Format(member.InputShape)} → {member.OutputText}");
            var f = new ForwardLowering(w, locals, symbols, model, member, locals.Of(member.Input)) { PositionOffset = positionOffset };
            for (var o = 0; o < member.Ops.Count; o++)
            {
                var op = member.Ops[o].Op;
                if (o == column?.InputOp)
                {
                    // Earlier columns' inputs to this layer (a flattened map before its Flatten) feed the later
                    // columns' lateral adapters.
                    w.Line($"layerInputs?.Add({(arguments.Contains(f.Value) ? f.Value : "scope.MoveToOuter(" + f.Value + ")")});");
                }

                f.InPlace = op.MayRunInPlace && o > 0 && member.Ops[o - 1].Op is Layer { OutputIsFresh: true, Repeat: null };
                op.Lower(f);
                if (op is Layer && column is not null && layerIndex++ > 0)
                {
                    using (w.Block("if (lateral is not null)"))
                        w.Line($"{f.Target} = lateral({layerIndex - 1}, {f.Target});");
                }
            }

            if (member.HasValue)
                f.Settle();
        }

        w.Line();
        var outputs = plan.Outputs.Select(o => $"scope.MoveToOuter({locals.Of(o.Tap)})").ToList();
        w.Line($"return {(plan.ReturnsTuple ? "(" + string.Join(", ", outputs) + ")" : outputs[0])};");
    }
}
