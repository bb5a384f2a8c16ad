using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Which element-type check (a method of <c>ModelDsl.ArgumentChecks</c>) each <c>Forward</c> argument gets,
/// decided by its first consumer: an <c>Embedding</c> reads token indices, an attention layer's key padding reads a
/// boolean mask, anything else reads values. An argument first handed to a nested model is left to that model's
/// own prologue, and an unused one is not checked.
/// </summary>
internal static class ArgumentKinds
{
    public const string Values = "Values";
    public const string Indices = "Indices";
    public const string Mask = "Mask";
    private const string Nested = "";

    /// <summary>The check for each argument (by its variable name) that gets one.</summary>
    public static Dictionary<string, string> Of(ModelPlan plan)
    {
        var arguments = new HashSet<string>(plan.Inputs.Select(i => Naming.Escape(i.Name)), StringComparer.Ordinal);
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        void Consume(string variable, string kind)
        {
            if (arguments.Contains(variable) && !kinds.ContainsKey(variable))
                kinds[variable] = kind;
        }

        foreach (var member in plan.Members)
        {
            var current = member.InputVariable;
            foreach (var op in member.Ops)
            {
                string? Literal(string name) => op.Args.FirstOrDefault(a => a.Name == name)?.Literal;
                switch (op.Kind)
                {
                    case "Input":
                        current = Literal("tap") ?? current;
                        continue;
                    case "Layer" or "ScaledLayer":
                        Consume(current, member.Layer!.Kind switch { "Embedding" => Indices, "Nested" => Nested, _ => Values });
                        if (Literal("memory") is { Length: > 0 } memory)
                            Consume(memory, Values);
                        if (Literal("keyPadding") is { } padding)
                            Consume(padding, Mask);
                        foreach (var input in op.Args.Where(a => a.Name.StartsWith("input", StringComparison.Ordinal) && a.Literal is not null))
                            Consume(input.Literal!, Nested);
                        break;
                    case "Residual":
                        Consume(current, Values);
                        Consume(Literal("tap")!, Values);
                        break;
                    case "Concat":
                        Consume(current, Values);
                        foreach (var tap in Literal("taps")!.Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries))
                            Consume(tap, Values);
                        break;
                    default:
                        Consume(current, Values);
                        break;
                }

                current = member.Variable;
            }
        }

        foreach (var nested in kinds.Where(k => k.Value == Nested).Select(k => k.Key).ToList())
            kinds.Remove(nested);
        return kinds;
    }
}
