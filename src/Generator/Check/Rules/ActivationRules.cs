using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Element-wise steps (activations, dropout) and the normalising softmaxes: the shape is unchanged.</summary>
internal static class ActivationRules
{
    public static StepResult? Elementwise(CheckContext context, StepInput input)
        => StepResult.Operation(input.Shape, input.Step.Name);

    public static StepResult? LeakyReLU(CheckContext context, StepInput input)
    {
        var slope = input.Step.Positional.Count > 0 ? context.ReadDouble(input.Step, input.Step.Positional[0], "slope", input.MemberName) : "0.01";
        return slope is null ? null : StepResult.Operation(input.Shape, "LeakyReLU", OpArg.Code("slope", slope));
    }

    public static StepResult? Dropout(CheckContext context, StepInput input)
    {
        var p = context.ReadRate(input.Step, input.Step.Positional.Count > 0 ? input.Step.Positional[0] : null, "p", input.MemberName, 0, 1);
        return p is null ? null : StepResult.Operation(input.Shape, "Dropout", p);
    }

    public static StepResult? Softmax(CheckContext context, StepInput input)
    {
        var dim = context.ReadInt(input.Step, input.Step.Get("Dim"), "Dim", input.MemberName) ?? -1;
        if (dim < -input.Rank || dim >= input.Rank)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, input.Step.Name, input.MemberName, $"Dim {dim} is out of range for {ShapeText.Format(input.Shape)}");
            return null;
        }

        return StepResult.Operation(input.Shape, input.Step.Name, OpArg.Code("dim", dim.ToString(CultureInfo.InvariantCulture)));
    }
}
