using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Steps;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Which element-type check (a method of <c>ModelDsl.ArgumentChecks</c>) each <c>Forward</c> argument gets, decided
/// by its first consumer (<see cref="Op.InputUse"/>, <see cref="Op.Reads"/>): an embedding reads token indices, an
/// attention layer's key padding a boolean mask, anything else values. An argument first handed to a nested model is
/// left to that model's own prologue, and an unused one is not checked.
/// </summary>
internal static class ArgumentKinds
{
    /// <summary>The check for each argument (by name) that gets one: <c>Values</c>, <c>Indices</c> or <c>Mask</c>.</summary>
    public static Dictionary<string, string> Of(ModelPlan plan)
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

                Consume(current, op.InputUse);
                foreach (var read in op.Reads)
                    Consume(read.Tap.Name, read.Use);
                if (op.AssignsValue)
                    current = member.Name;
            }
        }

        return uses.Where(u => u.Value is ValueUse.Values or ValueUse.Indices or ValueUse.Mask)
            .ToDictionary(u => u.Key, u => u.Value.ToString(), StringComparer.Ordinal);
    }
}
