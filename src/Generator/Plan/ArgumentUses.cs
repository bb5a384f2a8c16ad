using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Catalogue.Steps;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Plan;

/// <summary>
/// How each <c>Forward</c> argument is read, decided by its first consumer (<see cref="Op.InputUse"/>,
/// <see cref="Op.Reads"/>): an embedding reads token indices, an attention layer's key padding a boolean mask,
/// anything else values. An argument first handed to a nested model is <see cref="ValueUse.Unchecked"/>, or, resolved,
/// read as that model reads it.
/// </summary>
internal static class ArgumentUses
{
    /// <summary>The use of each argument that something reads, by name.</summary>
    public static Dictionary<string, ValueUse> First(ModelPlan plan, bool resolveNested)
    {
        var arguments = new HashSet<string>(plan.Inputs.Select(i => i.Name), StringComparer.Ordinal);
        var uses = new Dictionary<string, ValueUse>(StringComparer.Ordinal);
        void Consume(string tap, ValueUse use)
        {
            if (use != ValueUse.NotRead && arguments.Contains(tap) && !uses.ContainsKey(tap))
                uses[tap] = use;
        }

        foreach (var member in plan.Members)
        {
            var current = member.Input.Name;
            foreach (var op in member.Ops.Select(o => o.Op))
            {
                if (op is InputOp input)
                {
                    current = input.From.Name;
                    continue;
                }

                if (resolveNested && op is NestedLayer nested)
                {
                    // The nested model's own arguments: the flowing value, then its extra inputs.
                    Consume(current, nested.InputUses.Count > 0 ? nested.InputUses[0].Use : ValueUse.Values);
                    for (var i = 0; i < nested.ExtraInputs.Count; i++)
                        Consume(nested.ExtraInputs[i].Name, i + 1 < nested.InputUses.Count ? nested.InputUses[i + 1].Use : ValueUse.Values);
                }
                else
                {
                    Consume(current, op.InputUse);
                    foreach (var read in op.Reads)
                        Consume(read.Tap.Name, read.Use);
                }

                if (op.AssignsValue)
                    current = member.Name;
            }
        }

        return uses;
    }

    /// <summary>Each argument's use in order, nested models resolved; an argument nothing reads counts as values.</summary>
    public static EquatableArray<ArgumentUse> Resolved(ModelPlan plan)
    {
        var uses = First(plan, resolveNested: true);
        return plan.Inputs.Select(i => new ArgumentUse(uses.TryGetValue(i.Name, out var use) && use is ValueUse.Indices or ValueUse.Mask ? use : ValueUse.Values)).ToEquatableArray();
    }
}

/// <summary>How one argument is read, as an equatable item of a plan.</summary>
internal readonly record struct ArgumentUse(ValueUse Use);
