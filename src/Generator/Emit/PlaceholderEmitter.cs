using System.Linq;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// For a model that has errors: implements its partial members with bodies that throw, so the build's error
/// list holds the ModelDsl diagnostics that explain the problem instead of a cascade of "partial member
/// must have an implementation part" errors. The build fails on those diagnostics anyway.
/// </summary>
internal static class PlaceholderEmitter
{
    private const string Failure = "throw new global::System.InvalidOperationException(\"This model has ModelDsl errors; see the build's MDL diagnostics.\")";

    public static string? Emit(ModelSpec spec)
    {
        if (spec.ContainingTypes.Any(t => t.Length == 0))
            return null;
        var w = new IndentedWriter().FileHeader(
            spec.Namespace,
            "// ModelDsl reported errors for this model: these placeholders only keep the error list to those diagnostics.",
            "#pragma warning disable CS1591 // placeholders need no documentation");

        var closers = spec.ContainingTypes.Select(w.Block).ToList();
        EmitClass(w, spec);
        for (var i = closers.Count - 1; i >= 0; i--)
            closers[i].Dispose();
        return w.ToString();
    }

    private static void EmitClass(IndentedWriter w, ModelSpec spec)
    {
        var inputs = spec.Forward?.Inputs ?? EquatableArray<InputSpec>.Empty;
        // A tuple of named Tensors is the base's result type, as in the generated class.
        var result = spec.Forward is { ReturnsTuple: true } tuple && tuple.Outputs.All(o => o.Name is not null) ? tuple.ReturnType : CodeNames.Tensor;
        var tensorsOnly = spec.Forward is not null && inputs.Count is > 0 and <= 6 && inputs.All(i => i.Type == CodeNames.Tensor) && (spec.Forward.ReturnType == CodeNames.Tensor || result != CodeNames.Tensor);
        var arity = tensorsOnly ? inputs.Count : 1;
        var types = string.Join(", ", Enumerable.Repeat(CodeNames.Tensor, arity).Append(tensorsOnly ? result : CodeNames.Tensor));
        // Only a class can take the Module base; a record or struct gets its partial members implemented, nothing else.
        var isClass = spec.Keyword == "class";
        var name = Naming.Escape(spec.Name);
        using (w.Block($"partial {spec.Keyword} {name}{spec.TypeParameters}{(isClass ? $" : {CodeNames.Nn}.Module<{types}>" : "")}"))
        {
            var parameters = string.Join(", ", spec.Parameters.Select(p => p.Type + " " + Naming.Escape(p.Name)));
            // A constructor of the user's own with these parameters is reported; a second one would only add an error.
            if (!spec.HasClashingConstructor)
            {
                w.Line(spec.HasPartialConstructor
                    ? $"{spec.ConstructorModifiers} partial {name}({parameters}){(isClass ? $" : base(\"{spec.Name}\")" : "")} => {Failure};".TrimStart()
                    : isClass ? $"public {name}() : base(\"{spec.Name}\") => {Failure};" : "");
            }
            foreach (var member in spec.Members)
            {
                var accessors = member.Setter.Length == 0 ? $" => {Failure};" : $" {{ get => {Failure}; {member.Setter.Trim()} => {Failure}; }}";
                w.Line($"{(member.Modifiers.Length > 0 ? member.Modifiers + " " : "")}partial {member.TypeName} {Naming.Escape(member.Name)}{accessors}");
            }

            var arguments = tensorsOnly
                ? string.Join(", ", inputs.Select(i => $"{CodeNames.Tensor} {Naming.Escape(i.Name)}"))
                : $"{CodeNames.Tensor} input";
            if (isClass)
                w.Line($"public override {(tensorsOnly ? result : CodeNames.Tensor)} forward({arguments}) => {Failure};");
            if (spec.Forward is { } forward)
            {
                var declared = string.Join(", ", forward.Inputs.Select(i => $"{i.Type} {Naming.Escape(i.Name)}"));
                w.Line($"{forward.Modifiers} partial {forward.ReturnType} Forward({declared}) => {Failure};".TrimStart());
            }
        }
    }
}
