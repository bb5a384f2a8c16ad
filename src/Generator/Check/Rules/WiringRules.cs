using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Residual, Input and Concat: steps that read other named values.</summary>
internal static class WiringRules
{
    public static StepResult? Input(CheckContext context, StepInput input, TapTable taps)
    {
        var name = ReadTapName(context, input, input.Step.Positional.Count > 0 ? input.Step.Positional[0] : null, "from");
        var tap = name is null ? null : taps.Require(context, input, name);
        return tap is null ? null : StepResult.Operation(tap.Shape, "Input", OpArg.Code("tap", tap.Variable));
    }

    public static StepResult? Residual(CheckContext context, StepInput input, TapTable taps)
    {
        var fromArg = input.Step.Get("From");
        string? name = null;
        Tap? tap;
        if (fromArg is null || fromArg.Kind == ArgKind.Null)
        {
            tap = taps.MemberInput;
            name = "input of " + input.MemberName;
        }
        else
        {
            name = ReadTapName(context, input, fromArg, "From");
            tap = name is null ? null : taps.Require(context, input, name);
        }

        if (tap is null)
            return null;
        if (!context.CheckShapesEqual(input.Shape, tap.Shape, $"Residual on '{input.MemberName}' adds {ShapeText.Format(tap.Shape)} to {ShapeText.Format(input.Shape)}"))
        {
            context.Report(DiagnosticDescriptors.ResidualMismatch, input.Location, input.MemberName, ShapeText.Format(tap.Shape), name!, ShapeText.Format(input.Shape));
            return null;
        }

        return StepResult.Operation(input.Shape, "Residual", OpArg.Code("tap", tap.Variable));
    }

    public static StepResult? Concat(CheckContext context, StepInput input, TapTable taps)
    {
        var step = input.Step;
        var names = step.Positional.Count == 1 && step.Positional[0].Kind == ArgKind.Array ? step.Positional[0].Items : step.Positional;
        var dimIndex = context.ReadInt(step, step.Get("Dim"), "Dim", input.MemberName) ?? 1;
        if (dimIndex < 0)
            dimIndex += input.Rank;
        if (names.Count == 0 || dimIndex < 0 || dimIndex >= input.Rank)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, "Concat", input.MemberName,
                names.Count == 0 ? "name at least one tap to concatenate" : $"Dim is out of range for {ShapeText.Format(input.Shape)}");
            return null;
        }

        var output = input.Shape;
        var variables = new List<string>();
        foreach (var arg in names)
        {
            var name = ReadTapName(context, input, arg, "tap");
            var tap = name is null ? null : taps.Require(context, input, name);
            if (tap is null)
                return null;
            var fits = tap.Shape.Count == output.Count;
            for (var i = 0; fits && i < output.Count; i++)
                fits = i == dimIndex || context.CheckEqual(tap.Shape[i], output[i], $"Concat on '{input.MemberName}' joins {ShapeText.Format(tap.Shape)} from '{name}'");
            if (!fits)
            {
                context.Report(DiagnosticDescriptors.ConcatMismatch, input.Location, input.MemberName, dimIndex, ShapeText.Format(output), ShapeText.Format(tap.Shape), name!);
                return null;
            }

            output = output.With((int)dimIndex, output[(int)dimIndex] + tap.Shape[(int)dimIndex]);
            variables.Add(tap.Variable);
        }

        return StepResult.Operation(output, "Concat", OpArg.Code("taps", string.Join(", ", variables)), OpArg.Code("dim", dimIndex.ToString(CultureInfo.InvariantCulture)));
    }

    private static string? ReadTapName(CheckContext context, StepInput input, ArgValue? arg, string argument)
    {
        if (arg is { Kind: ArgKind.String } && arg.Text.Length > 0)
            return arg.Text;
        context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, input.Step.Name, input.MemberName, $"{argument} must name a Forward argument or an earlier member");
        return null;
    }
}
