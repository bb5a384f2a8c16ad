using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Which element-type check (a method of <c>ModelDsl.ArgumentChecks</c>) each <c>Forward</c> argument gets, decided
/// by its first consumer (<see cref="ArgumentUses"/>): an embedding reads token indices, an attention layer's key
/// padding a boolean mask, anything else values. An argument first handed to a nested model is left to that model's
/// own prologue, and an unused one is not checked.
/// </summary>
internal static class ArgumentKinds
{
    /// <summary>The check for each argument (by name) that gets one: <c>Values</c>, <c>Indices</c> or <c>Mask</c>.</summary>
    public static Dictionary<string, string> Of(ModelPlan plan)
        => ArgumentUses.First(plan, resolveNested: false).Where(u => u.Value is ValueUse.Values or ValueUse.Indices or ValueUse.Mask)
            .ToDictionary(u => u.Key, u => u.Value.ToString(), System.StringComparer.Ordinal);
}
