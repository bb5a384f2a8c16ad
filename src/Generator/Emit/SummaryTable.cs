using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>The Keras-style table (layer, output shape, parameters) that is known at compile time.</summary>
internal static class SummaryTable
{
    public static string Build(ModelPlan plan)
    {
        var rows = new List<string[]> { new[] { "Layer", "Output shape", "Params" } };
        foreach (var input in plan.Inputs)
            rows.Add(new[] { input.Name + " (input)", ShapeText.Format(input.Shape), "0" });
        foreach (var member in plan.Members)
            rows.Add(new[] { member.StateKey + " (" + member.Layer.Describe + ")", member.HasValue ? ShapeText.Format(member.OutputShape) : "(split)", Count(member.Parameters) });

        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var rule = new string('-', widths.Sum() + 4);
        var text = new StringBuilder();
        text.Append(plan.Spec.Name).Append('\n').Append(rule).Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            text.Append(row[0].PadRight(widths[0] + 2)).Append(row[1].PadRight(widths[1] + 2)).Append(row[2].PadLeft(widths[2])).Append('\n');
            if (i == 0)
                text.Append(rule).Append('\n');
        }

        text.Append(rule).Append('\n').Append("Total params: ").Append(Count(plan.ParameterCount));
        return text.ToString();
    }

    public static string Count(Dim dim) => dim.IsConstant ? dim.Value.ToString("N0", CultureInfo.InvariantCulture) : dim.ToString();
}
