using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Check;

/// <summary>
/// State-dict keys: a layer's <c>Key</c>, else its member's name in snake_case. A dotted key puts the module in
/// containers, as PyTorch's nested modules name it; a key is never also another's container.
/// </summary>
internal static class StateKeys
{
    private static readonly Regex Segment = new("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

    /// <summary>The member's key, or null after reporting a malformed one (MDL0040).</summary>
    public static string? Read(CheckContext context, MemberSpec member)
    {
        var layerStep = member.Steps.FirstOrDefault(s => s.Get(nameof(LayerAttribute.Key)) is { Kind: not ArgKind.Null });
        if (layerStep?.Get(nameof(LayerAttribute.Key)) is not { } arg)
            return Naming.SnakeCase(member.Name);
        var problem = arg.Kind != ArgKind.String ? "must be a string"
            : arg.Text.Split('.').Any(s => !Segment.IsMatch(s)) ? "needs names of letters, digits and underscores between its dots"
            : null;
        if (problem is null)
            return arg.Text;
        context.Report(DiagnosticDescriptors.InvalidStateKey, layerStep.Location ?? member.Location, member.Name, arg.Kind == ArgKind.String ? arg.Text : arg.ToString(), problem);
        return null;
    }

    /// <summary>Whether the members' keys are distinct and none is another's container; reports MDL0041 otherwise.</summary>
    public static bool CheckDistinct(CheckContext context, IReadOnlyList<MemberPlan> members)
    {
        for (var i = 0; i < members.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (members[j], members[i]);
                var problem = a.StateKey == b.StateKey ? $"both have the state-dict key \"{a.StateKey}\""
                    : b.StateKey.StartsWith(a.StateKey + ".", System.StringComparison.Ordinal) ? $"\"{a.StateKey}\" is a layer and cannot also hold \"{b.StateKey}\""
                    : a.StateKey.StartsWith(b.StateKey + ".", System.StringComparison.Ordinal) ? $"\"{b.StateKey}\" is a layer and cannot also hold \"{a.StateKey}\""
                    : null;
                if (problem is not null)
                {
                    context.Report(DiagnosticDescriptors.StateKeyClash, context.Spec.Members.First(m => m.Name == b.Name).Location, a.Name, b.Name, context.Spec.Name, problem);
                    return false;
                }
            }
        }

        return true;
    }
}
