using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Writes <c>forward</c>/<c>Forward</c>: the argument checks (rank, static dims, symbolic dims bound on first
/// use, then element type and device), the checks that depend on input dims, then one statement per operation inside a dispose scope so
/// every intermediate is freed when Forward returns. A progressive column also gets <c>ForwardColumn</c>,
/// the same body with lateral hooks.
/// </summary>
internal static class ForwardEmitter
{
    public static string Emit(ModelPlan plan, SortedDictionary<string, string> forwardFields)
    {
        var spec = plan.Spec;
        var w = new IndentedWriter();
        var arguments = string.Join(", ", plan.Inputs.Select(i => CodeNames.Tensor + " " + Naming.Escape(i.Name)));
        var names = string.Join(", ", plan.Inputs.Select(i => Naming.Escape(i.Name)));
        w.Line("/// <inheritdoc cref=\"Forward\"/>");
        w.Line($"public override {CodeNames.Tensor} forward({arguments}) => Forward({names});");
        w.Line();
        w.Line($"/// <summary>{string.Join(", ", plan.Inputs.Select(i => ModelEmitter.Xml(i.Name + ": " + ShapeText.Format(i.Shape))))} → {ModelEmitter.Xml(ShapeText.Format(plan.OutputShape))}.</summary>");
        w.Line($"/// <exception cref=\"{CodeNames.ShapeMismatch}\">An argument does not have the declared shape.</exception>");
        w.Line($"/// <exception cref=\"{CodeNames.TensorArgument}\">An argument has the wrong element type or device.</exception>");
        if (plan.Column is not null)
        {
            w.Line($"{spec.Forward!.Modifiers} partial {CodeNames.Tensor} Forward({arguments}) => ForwardColumn({names}, null, null);");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"public {CodeNames.Tensor} ForwardColumn({arguments}, {CodeNames.TensorList}? layerInputs, {CodeNames.LateralHook}? lateral)");
        }
        else
        {
            w.Line($"{spec.Forward!.Modifiers} partial {CodeNames.Tensor} Forward({arguments})");
        }

        w.Line("{");
        using (w.Indent())
            EmitBody(w, plan, new SymbolMap(spec, forwardFields));
        w.Line("}");

        if (plan.Column is { } column)
        {
            w.Line();
            ColumnEmitter.EmitMembers(w, plan, column, new SymbolMap(spec, forwardFields));
        }

        return w.ToString().TrimEnd('\n');
    }

    private static void EmitBody(IndentedWriter w, ModelPlan plan, SymbolMap symbols)
    {
        var used = RuntimeSymbolsUsed(plan);
        var kinds = ArgumentKinds.Of(plan);
        foreach (var input in plan.Inputs)
            EmitInputCheck(w, Naming.Escape(plan.Spec.Name), input, symbols, used, kinds);
        var forwardGuards = plan.Guards.Where(g => g.AtForward).ToList();
        foreach (var guard in forwardGuards)
            GuardCode.Emit(w, Naming.Escape(plan.Spec.Name), guard, symbols.Map);
        if (forwardGuards.Count > 0)
            w.Line();

        w.Line($"using var scope = {CodeNames.Torch}.NewDisposeScope();");
        var inputs = new HashSet<string>(plan.Inputs.Select(i => Naming.Escape(i.Name)), StringComparer.Ordinal);
        var layerIndex = 0;
        for (var m = 0; m < plan.Members.Count; m++)
        {
            var member = plan.Members[m];
            var current = member.InputVariable;
            var columnLayer = plan.Column?.FirstOrDefault(l => l.Member == member.Name);
            var isColumnLayer = columnLayer is not null;
            w.Line();
            w.Line($"// {member.Name}: {ShapeText.Format(member.InputShape)} → {ShapeText.Format(member.OutputShape)}");
            var declared = false;
            for (var o = 0; o < member.Ops.Count; o++)
            {
                var op = member.Ops[o];
                if (o == columnLayer?.InputOp)
                {
                    // Earlier columns' inputs to this layer (a flattened map before its Flatten) feed the later
                    // columns' lateral adapters.
                    w.Line($"layerInputs?.Add({(inputs.Contains(current) ? current : "scope.MoveToOuter(" + current + ")")});");
                }

                if (op.Kind == "Layer" && member.Layer!.Repeat is not null)
                {
                    if (!declared)
                        w.Line($"var {member.Variable} = {current};");
                    using (w.Block($"foreach (var block in {member.FieldName})"))
                        w.Line($"{member.Variable} = block.call({string.Join(", ", new[] { member.Variable }.Concat(op.Args.Select(symbols.Value)))});");
                }
                else
                {
                    var inPlace = InPlaceActivations.Allowed(op, o > 0 ? member.Ops[o - 1] : null, member);
                    var expression = OpCode.Apply(op, current, member, symbols.Value, inPlace);
                    w.Line(declared ? $"{member.Variable} = {expression};" : $"var {member.Variable} = {expression};");
                }

                declared = true;
                current = member.Variable;
                if (op.Kind is "Layer" or "ScaledLayer" && isColumnLayer && layerIndex++ > 0)
                {
                    using (w.Block("if (lateral is not null)"))
                        w.Line($"{member.Variable} = lateral({layerIndex - 1}, {member.Variable});");
                }
            }
        }

        w.Line();
        w.Line($"return scope.MoveToOuter({plan.OutputVariable});");
    }

    // Symbolic dims the forward code reads after the prologue; the others need no local.
    private static HashSet<string> RuntimeSymbolsUsed(ModelPlan plan)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in plan.Inputs)
        {
            // The prologue compares a dim repeated within one argument by position, without the local.
            var bindingHere = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < input.Shape.Count; i++)
            {
                if (input.Bindings[i].Length > 0 && seen.Add(input.Bindings[i]))
                {
                    bindingHere.Add(input.Bindings[i]);
                    continue;
                }

                used.UnionWith(input.Shape[i].Symbols.Where(s => !bindingHere.Contains(s)));
            }
        }

        foreach (var guard in plan.Guards.Where(g => g.AtForward))
            used.UnionWith(guard.Left.Symbols.Concat(guard.Right.Symbols));
        foreach (var op in plan.Members.SelectMany(m => m.Ops))
            used.UnionWith(op.Args.Where(a => a.Dim is not null).SelectMany(a => a.Dim!.Symbols));
        return used;
    }

    private static void EmitInputCheck(IndentedWriter w, string model, InputPlan input, SymbolMap symbols, HashSet<string> used, Dictionary<string, string> kinds)
    {
        var name = Naming.Escape(input.Name);
        var shape = input.ShapeLocal;
        var conditions = new List<string> { $"{shape}.Length != {input.Shape.Count}" };
        var bindings = new List<string>();
        // Symbols this argument binds, by position: they are compared by position, as their locals come after the check.
        var binding = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < input.Shape.Count; i++)
        {
            var symbolName = input.Bindings[i];
            if (symbolName.Length > 0 && !symbols.IsBound(symbolName) && !binding.ContainsKey(symbolName))
            {
                binding[symbolName] = i;
                if (used.Contains(symbolName))
                    bindings.Add($"var {symbolName} = {shape}[{i}];");
                continue;
            }

            var code = input.Shape[i].ToCode(s => binding.TryGetValue(s, out var position) ? $"{shape}[{position}]" : symbols.Map(s));
            conditions.Add($"{shape}[{i}] != {code}");
        }

        w.Line($"var {shape} = {name}.shape;");
        w.Line($"if ({string.Join(" || ", conditions)})");
        using (w.Indent())
            w.Line($"throw {CodeNames.ShapeMismatch}.ForArgument(nameof({model}), \"{input.Name}\", \"{ShapeText.Format(input.Shape)}\", {shape});");
        if (kinds.TryGetValue(name, out var kind))
            w.Line($"{CodeNames.ArgumentChecks}.{kind}(this, nameof({model}), \"{input.Name}\", {name});");
        foreach (var line in bindings)
            w.Line(line);
        symbols.Bind(binding.Keys);
        w.Line();
    }
}
