using ModelDsl.Generator.Model;
using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The locals of the generated <c>Forward</c>: each argument keeps its name, each input gets a shape local
/// (<c>xShape</c>), each member and split part a camelCase variable, numbered where a name is taken. Nothing
/// collides with the user's names, the symbolic dims, or the locals the generated code declares itself.
/// </summary>
internal sealed class LocalNames
{
    private static readonly string[] Reserved = { "scope", "block", "layerInputs", "lateral", "nameof", ForwardEmitter.PositionOffset, OnnxLowering.GraphName, "inputs" };

    private readonly Dictionary<string, string> _taps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _shapes = new(StringComparer.Ordinal);

    public LocalNames(ModelPlan plan)
    {
        var taken = new HashSet<string>(plan.Inputs.Select(i => Naming.Escape(i.Name)), StringComparer.Ordinal);
        taken.UnionWith(Reserved);
        taken.UnionWith(plan.Inputs.SelectMany(i => i.Bindings).Where(b => b.Length > 0));
        foreach (var input in plan.Inputs)
        {
            _taps[input.Name] = Naming.Escape(input.Name);
            _shapes[input.Name] = Claim(Naming.ShapeLocal(input.Name), taken);
        }

        foreach (var member in plan.Members)
        {
            _taps[member.Name] = Claim(Naming.CamelCase(member.Name), taken);
            foreach (var part in member.Ops.Select(o => o.Op).OfType<IProducesTaps>().SelectMany(o => o.Produced))
                _taps[part.Name] = Claim(Naming.CamelCase(part.Name), taken);
        }
    }

    public string Of(TapRef tap) => _taps[tap.Name];

    public string Of(MemberPlan member) => _taps[member.Name];

    /// <summary>The local holding an argument's shape.</summary>
    public string ShapeOf(InputPlan input) => _shapes[input.Name];

    // The name itself, else the first free of name2, name3, …
    private static string Claim(string name, HashSet<string> taken)
    {
        var unique = name;
        for (var n = 2; !taken.Add(unique); n++)
            unique = name + n;
        return unique;
    }
}
