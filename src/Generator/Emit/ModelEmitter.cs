using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Catalogue.Steps;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Writes one model's TorchSharp module: the Module base, layer fields registered in declaration order,
/// the constructor with construction-time checks, the layer properties, Forward with its argument checks
/// and a dispose scope, the parameter count and the summary.
/// </summary>
internal static class ModelEmitter
{
    public static string Emit(ModelPlan plan)
    {
        var spec = plan.Spec;
        var forward = ForwardEmitter.Emit(plan);
        var onnx = spec.ExportsOnnx && OnnxGaps.Of(plan).Count == 0 ? OnnxEmitter.Emit(plan) : null;
        var fieldsRead = new SortedDictionary<string, string>(forward.FieldsRead, System.StringComparer.Ordinal);
        foreach (var field in onnx?.FieldsRead ?? new SortedDictionary<string, string>())
            fieldsRead[field.Key] = field.Value;

        var w = new IndentedWriter().FileHeader(spec.Namespace);

        var inputTypes = string.Join(", ", plan.Inputs.Select(_ => CodeNames.Tensor));
        w.Line("/// <summary>");
        w.Line($"/// {Xml(spec.Name)}: {string.Join(", ", plan.Inputs.Select(i => Xml(ShapeText.Format(i.Shape))))} → {Xml(ForwardEmitter.OutputText(plan))}; {Xml(SummaryTable.Count(plan.ParameterCount))} parameters.");
        w.Line("/// </summary>");
        var interfaces = (plan.Column is null ? "" : ", " + CodeNames.ColumnInterface) + (onnx is null ? "" : ", " + OnnxEmitter.Interface);
        w.Line(CodeNames.GeneratedCode);
        using (w.Block($"partial class {Naming.Escape(spec.Name)} : {CodeNames.Nn}.Module<{inputTypes}, {ForwardEmitter.ReturnType(plan)}>{interfaces}"))
        {
            foreach (var member in plan.Members)
                w.Line($"private readonly {FieldType(member)} {member.FieldName};");
            foreach (var field in fieldsRead)
                w.Line($"private readonly {spec.Parameters.First(p => p.Name == field.Value).Type} {field.Key};");
            w.Line();
            EmitConstructor(w, plan, fieldsRead);
            EmitHyperparameters(w, spec);
            foreach (var member in plan.Members)
                EmitProperty(w, member);
            EmitParameterCount(w, plan);
            w.Line();
            w.Line("// Layers are registered explicitly, in declaration order, under their state-dict keys.");
            w.Line("/// <inheritdoc/>");
            w.Line("protected override void RegisterComponents()");
            w.Line("{");
            w.Line("}");
            TieEmitter.EmitConversionHooks(w, plan);
            w.Line();
            w.Lines(forward.Text);
            w.Line();
            if (onnx is not null)
            {
                w.Lines(onnx.Text);
                w.Line();
            }

            w.Line("/// <summary>The layer table known at compile time: each layer's output shape and parameter count.</summary>");
            w.Line("public static string Summary() =>");
            using (w.Indent())
            {
                w.Line("\"\"\"");
                w.Lines(SummaryTable.Build(plan));
                w.Line("\"\"\";");
            }
        }

        return w.ToString();
    }

    private static void EmitConstructor(IndentedWriter w, ModelPlan plan, SortedDictionary<string, string> forwardFields)
    {
        var spec = plan.Spec;
        var parameters = string.Join(", ", spec.Parameters.Select(p => p.Type + " " + Naming.Escape(p.Name)));
        w.Line("/// <summary>Creates the layers, checks the hyperparameters, and registers the layers in declaration order.</summary>");
        var name = Naming.Escape(spec.Name);
        var header = spec.HasPartialConstructor ? $"{spec.ConstructorModifiers} partial {name}({parameters})" : $"public {name}()";
        w.Line(header.TrimStart());
        using (w.Indent())
            w.Line($": base(nameof({name}))");
        w.Line("{");
        using (w.Indent())
        {
            var ctorGuards = plan.Guards.Where(g => !g.AtForward).ToList();
            foreach (var guard in ctorGuards)
                GuardCode.Emit(w, name, guard, Naming.Escape);
            foreach (var rate in plan.RateGuards)
                GuardCode.EmitRange(w, rate);
            if (ctorGuards.Count + plan.RateGuards.Count > 0)
                w.Line();
            foreach (var parameter in spec.Parameters)
            {
                if (HyperparameterNames.Property(spec, parameter.Name) is { } property)
                    w.Line($"{property} = {Naming.Escape(parameter.Name)};");
            }

            foreach (var field in forwardFields)
                w.Line($"{field.Key} = {Naming.Escape(field.Value)};");
            var containers = new ModuleContainers(spec);
            foreach (var member in plan.Members)
                EmitLayerConstruction(w, member, containers);
            TieEmitter.EmitConstructorTies(w, plan);

            if (!plan.ParameterCount.IsConstant || plan.ConditionalTies.Count > 0)
                w.Line($"ParameterCount = {ParameterCountCode(spec, plan)};");
        }

        w.Line("}");
        w.Line();
    }

    private static void EmitHyperparameters(IndentedWriter w, ModelSpec spec)
    {
        foreach (var parameter in spec.Parameters)
        {
            if (HyperparameterNames.Property(spec, parameter.Name) is not { } property)
                continue;
            w.Line($"/// <summary>The hyperparameter <c>{parameter.Name}</c> this model was created with.</summary>");
            w.Line($"public {parameter.Type} {property} {{ get; }}");
            w.Line();
        }
    }

    private static void EmitLayerConstruction(IndentedWriter w, MemberPlan member, ModuleContainers containers)
    {
        var layer = member.Layer;
        var c = new ConstructionLowering(member.FieldName);
        if (layer.Repeat is { } repeat)
        {
            w.Line($"{member.FieldName} = new {FieldType(member)}();");
            using (w.Block($"for (var i = 0; i < {c.Code(repeat)}; i++)"))
                w.Line($"{member.FieldName}.Add({layer.Construct(c)});");
        }
        else
        {
            w.Line($"{member.FieldName} = {layer.Construct(c)};");
        }

        var (owner, name) = containers.Register(w, member.StateKey);
        w.Line($"{owner}{(layer.IsParameter ? "register_parameter" : "register_module")}(\"{name}\", {member.FieldName});");
        foreach (var line in layer.AfterConstruction(c))
            w.Line(line);
    }

    private static void EmitProperty(IndentedWriter w, MemberPlan member)
    {
        w.Line($"/// <summary>{Xml(Chain(member))}: {Xml(ShapeText.Format(member.InputShape))} → {Xml(member.OutputText)}; {Xml(SummaryTable.Count(member.Parameters))} parameters; state-dict key <c>{member.StateKey}</c>.</summary>");
        w.Line($"{(member.Modifiers.Length > 0 ? member.Modifiers + " " : "")}partial {member.TypeName} {Naming.Escape(member.Name)} => {member.FieldName};");
        w.Line();
    }

    // The member's operations for its XML docs: "BatchNorm1d → LeakyReLU → Reshape".
    private static string Chain(MemberPlan member) => string.Join(" → ", member.Ops.Select(o => o.Op).Where(o => o is not InputOp).Select(o => o.Name));

    private static void EmitParameterCount(IndentedWriter w, ModelPlan plan)
    {
        var ties = string.Concat(plan.ConditionalTies.Select(t => $", less {t.Saved} when {t.Condition}"));
        w.Line("/// <summary>The number of trainable parameters" + (plan.ParameterCount.IsConstant && ties.Length == 0 ? ", known at compile time" : ": " + Xml(plan.ParameterCount.ToString() + ties)) + ".</summary>");
        if (plan.ParameterCount.IsConstant && plan.ConditionalTies.Count == 0)
            w.Line($"public const long ParameterCount = {plan.ParameterCount.Value.ToString(CultureInfo.InvariantCulture)};");
        else
            w.Line("public long ParameterCount { get; }");
    }

    // The count in the constructor's terms, less each conditional tie's saving when its hyperparameter is true.
    private static string ParameterCountCode(ModelSpec spec, ModelPlan plan)
        => plan.ParameterCount.ToCode(s => "(long)" + Naming.Escape(s))
            + string.Concat(plan.ConditionalTies.Select(t => $" - ({Naming.Escape(t.Condition)} ? {t.Saved.ToCode(s => "(long)" + Naming.Escape(s))} : 0)"));

    internal static string FieldType(MemberPlan member)
        => member.Layer is NestedLayer { Repeat: not null } nested ? $"{CodeNames.ModuleList}<{nested.Type}>" : member.TypeName;

    internal static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
