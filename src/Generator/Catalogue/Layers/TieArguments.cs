using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// The <c>TiedTo</c> and <c>TiedWhen</c> arguments a layer with a weight takes: the member it shares the weight with, and
/// the <c>bool</c> hyperparameter that decides whether it does. Which members fit is checked once all are known
/// (<see cref="TiedWeights"/>).
/// </summary>
internal static class TieArguments
{
    /// <summary>False after reporting a malformed argument.</summary>
    public static bool Read(StepContext s, out string? tiedTo, out string? tiedWhen)
    {
        (tiedTo, tiedWhen) = (null, null);
        var to = s.Step.Get("TiedTo");
        var when = s.Step.Get("TiedWhen");
        if (to is not null && to.Kind is not (ArgKind.String or ArgKind.Null))
        {
            s.WrongType("TiedTo must name another member, e.g. nameof(TokenEmbedding)");
            return false;
        }

        if (when is not null && when.Kind is not (ArgKind.String or ArgKind.Null))
        {
            s.WrongType("TiedWhen must name a bool hyperparameter, e.g. \"shareEmbeddings\"");
            return false;
        }

        tiedTo = to is { Kind: ArgKind.String } ? to.Text : null;
        var condition = when is { Kind: ArgKind.String } ? when.Text : null;
        tiedWhen = condition;
        if (condition is null)
            return true;
        var parameter = s.Model.Spec.Parameters.FirstOrDefault(p => p.Name == condition);
        var problem = tiedTo is null ? "there is no TiedTo for it to decide"
            : parameter is null ? $"'{condition}' is not a hyperparameter of '{s.Model.Spec.Name}'"
            : parameter.Type is not ("bool" or "global::System.Boolean") ? $"'{condition}' is a {parameter.Type}, not a bool"
            : null;
        if (problem is null)
            return true;
        s.Report(DiagnosticDescriptors.TieConditionNotBool, s.Kind, s.MemberName, problem);
        return false;
    }
}
