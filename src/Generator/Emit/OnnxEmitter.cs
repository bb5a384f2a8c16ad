using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>The ONNX members of a model, and the hyperparameter fields they read.</summary>
internal sealed record OnnxCode(string Text, SortedDictionary<string, string> FieldsRead);

/// <summary>
/// Writes a model's ONNX export: <c>ExportOnnx</c>, which declares the graph's inputs and outputs as <c>Forward</c>
/// does (symbolic dims by name), and <c>IOnnxModule.LowerOnnx</c>, which appends each member's operations to the graph
/// in the order <c>Forward</c> runs them, one builder call per operation. Only for a model without ONNX gaps.
/// </summary>
internal static class OnnxEmitter
{
    public const string Interface = "global::ModelDsl.Onnx.IOnnxModule";
    private const string Value = "global::ModelDsl.Onnx.OnnxValue";
    private const string Graph = "global::ModelDsl.Onnx.OnnxGraph";
    private const string Port = "global::ModelDsl.Onnx.OnnxPort";

    public static OnnxCode Emit(ModelPlan plan)
    {
        var spec = plan.Spec;
        var locals = new LocalNames(plan);
        var runtimeSymbols = new HashSet<string>(plan.Inputs.SelectMany(i => i.Bindings).Where(b => b.Length > 0), StringComparer.Ordinal);
        var symbols = new SymbolMap(spec, runtimeSymbols);

        var body = new IndentedWriter();
        EmitBody(body, plan, locals, symbols, runtimeSymbols);
        var exportMethod = EmitExport(plan, symbols);

        var w = new IndentedWriter();
        w.Lines(exportMethod);
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"{Value}[] {Interface}.LowerOnnx({Graph} {OnnxLowering.GraphName}, {Value}[] inputs)");
        w.Line("{");
        using (w.Indent())
        {
            for (var i = 0; i < plan.Inputs.Count; i++)
                w.Line($"var {locals.Of(new TapRef(plan.Inputs[i].Name))} = inputs[{i}];");
            foreach (var (symbol, input, position) in Bindings(plan).Where(b => symbols.RuntimeSymbolsRead.Contains(b.Symbol)))
                w.Line($"var {symbol} = {OnnxLowering.GraphName}.Dim({locals.Of(new TapRef(input))}, {position});");
            w.Lines(body.ToString().TrimEnd('\n'));
        }

        w.Line("}");
        return new OnnxCode(w.ToString().TrimEnd('\n'), symbols.FieldsRead);
    }

    private static string EmitExport(ModelPlan plan, SymbolMap symbols)
    {
        var uses = ArgumentUses.Resolved(plan);
        var inputs = plan.Inputs.Select((input, i) => PortCode(uses[i].Use switch { ValueUse.Indices => "Int64", ValueUse.Mask => "Bool", _ => "Float" }, input.Name, input.Shape, symbols)).ToList();
        var outputs = plan.Outputs.Select(o => PortCode("Float", o.Name ?? "output", o.Shape, symbols)).ToList();

        var w = new IndentedWriter();
        w.Line("/// <summary>");
        w.Line("/// Writes this model to <paramref name=\"path\"/> as an ONNX graph in evaluation mode,");
        w.Line($"/// {ModelEmitter.Xml(Signature(plan.Inputs.Select(i => (i.Name, i.Shape))))} → {ModelEmitter.Xml(Signature(plan.Outputs.Select(o => (o.Name ?? "output", o.Shape))))}:");
        w.Line("/// symbolic dims stay symbolic (<c>dim_param</c>), hyperparameters are numbers, weights are initializers named by");
        w.Line("/// state-dict key.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"path\">The <c>.onnx</c> file; with external data, the weights go to <c>path.data</c> beside it.</param>");
        w.Line("/// <param name=\"options\">The opset and where the weights go; null for opset 17, inline below 2 GB.</param>");
        using (w.Block("public void ExportOnnx(string path, global::ModelDsl.Onnx.OnnxExportOptions? options = null)"))
        {
            EmitPorts(w, "inputs", inputs);
            EmitPorts(w, "outputs", outputs);
            if (plan.Spec.Parameters.Count == 0)
            {
                w.Line("global::ModelDsl.Onnx.OnnxExport.Save(this, path, inputs, outputs, options);");
            }
            else
            {
                // The file records what the model was built with, as metadata: a reader needs no other source.
                var values = plan.Spec.Parameters.Select(p => $"(\"{CodeText.Escape(p.Name)}\", {symbols.Hyperparameter(p.Name)})");
                w.Line($"var hyperparameters = new (string, object)[] {{ {string.Join(", ", values)} }};");
                w.Line("global::ModelDsl.Onnx.OnnxExport.Save(this, path, inputs, outputs, options, hyperparameters);");
            }
        }

        return w.ToString().TrimEnd('\n');
    }

    private static void EmitPorts(IndentedWriter w, string name, List<string> ports)
    {
        w.Line($"var {name} = new[]");
        w.Line("{");
        using (w.Indent())
        {
            foreach (var port in ports)
                w.Line(port + ",");
        }

        w.Line("};");
    }

    // OnnxPort.Float("x", "B", 3, Size): a symbolic dim (or an expression of one) by name, any other as a number.
    private static string PortCode(string type, string name, EquatableArray<Dim> shape, SymbolMap symbols)
    {
        var dims = shape.Select(d => d.Symbols.Any(symbols.IsRuntime) ? "\"" + CodeText.Escape(d.ToString()) + "\"" : d.ToCode(symbols.Map));
        return $"{Port}.{type}({string.Join(", ", new[] { "\"" + CodeText.Escape(name) + "\"" }.Concat(dims))})";
    }

    private static string Signature(IEnumerable<(string Name, EquatableArray<Dim> Shape)> values)
        => string.Join(", ", values.Select(v => v.Name + " " + ShapeText.Format(v.Shape)));

    private static void EmitBody(IndentedWriter w, ModelPlan plan, LocalNames locals, SymbolMap symbols, HashSet<string> runtimeSymbols)
    {
        foreach (var member in plan.Members)
        {
            w.Line();
            w.Line($"// {member.Name}: {ShapeText.Format(member.InputShape)} → {(member.HasValue ? ShapeText.Format(member.OutputShape) : string.Join(", ", member.Ops.Select(o => o.Op).OfType<IProducesTaps>().SelectMany(p => p.Produced).Select(p => p.Name)))}");
            var o = new OnnxLowering(w, locals, symbols, member, locals.Of(member.Input), new OnnxSite(member.InputShape, runtimeSymbols));
            for (var i = 0; i < member.Ops.Count; i++)
            {
                o.Site = new OnnxSite(i == 0 ? member.InputShape : member.Ops[i - 1].Output, runtimeSymbols);
                member.Ops[i].Op.LowerOnnx(o);
            }

            if (member.HasValue)
                o.Settle();
        }

        w.Line();
        w.Line($"return new[] {{ {string.Join(", ", plan.Outputs.Select(output => locals.Of(output.Tap)))} }};");
    }

    // Each symbolic dim with the argument and position that bind it first.
    private static IEnumerable<(string Symbol, string Input, int Position)> Bindings(ModelPlan plan)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in plan.Inputs)
        {
            for (var i = 0; i < input.Bindings.Count; i++)
            {
                if (input.Bindings[i].Length > 0 && seen.Add(input.Bindings[i]))
                    yield return (input.Bindings[i], input.Name, i);
            }
        }
    }
}
