using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The containers a dotted state-dict key needs, as PyTorch's nested modules name them: <c>transformer.wte</c> registers
/// <c>wte</c> in a <c>ModuleGroup</c> registered as <c>transformer</c>. Each container is created once, right before the
/// first layer it holds, so registration (and so parameter) order stays the members' order.
/// </summary>
internal sealed class ModuleContainers(ModelSpec spec)
{
    private readonly Dictionary<string, string> _locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(spec.Parameters.Select(p => Naming.Escape(p.Name)), StringComparer.Ordinal) { "i" };

    /// <summary>Writes the containers <paramref name="key"/> needs and returns the one to register in (<c>""</c> for the model) and the last name.</summary>
    public (string Owner, string Name) Register(IndentedWriter w, string key)
    {
        var parts = key.Split('.');
        var owner = "";
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var path = string.Join(".", parts.Take(i + 1));
            if (!_locals.TryGetValue(path, out var local))
            {
                local = Claim(Naming.CamelCase(string.Concat(parts.Take(i + 1).Select(Capitalise))).TrimStart('@') + "Modules");
                _locals[path] = local;
                w.Line($"var {local} = new global::ModelDsl.Layers.ModuleGroup(\"{parts[i]}\");");
                w.Line($"{owner}register_module(\"{parts[i]}\", {local});");
            }

            owner = local + ".";
        }

        return (owner, parts[parts.Length - 1]);
    }

    private string Claim(string name)
    {
        var unique = name;
        for (var n = 2; !_taken.Add(unique); n++)
            unique = name + n;
        return unique;
    }

    private static string Capitalise(string part) => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part.Substring(1);
}
