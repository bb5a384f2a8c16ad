using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Weight tying: a Linear with <c>TiedTo</c> hands its weight Parameter to the member it names, so both modules
/// hold one tensor. TorchSharp's <c>to</c>, <c>cuda</c> and <c>cpu</c> convert each module's parameters
/// separately and would leave two copies where PyTorch, converting in place, keeps one; a model with a tie
/// therefore overrides the three <c>Module._to</c> overloads they all go through and ties again afterwards.
/// </summary>
internal static class TieEmitter
{
    /// <summary>The constructor's ties, after every layer is created.</summary>
    public static void EmitConstructorTies(IndentedWriter w, ModelPlan plan)
    {
        // The Linear holds its Parameter object; handing that object to the other module makes both share it.
        foreach (var tie in Ties(plan))
            w.Line($"{tie}; // tied: one tensor, counted once");
    }

    /// <summary>The <c>_to</c> overrides, for a model with at least one tie.</summary>
    public static void EmitConversionHooks(IndentedWriter w, ModelPlan plan)
    {
        var ties = Ties(plan).ToList();
        if (ties.Count == 0)
            return;

        const string Module = CodeNames.Nn + ".Module";
        const string ScalarType = CodeNames.Torch + ".ScalarType";
        var overloads = new (string Parameters, string Arguments)[]
        {
            ($"{ScalarType} dtype, bool non_blocking", "dtype, non_blocking"),
            ($"{CodeNames.Torch}.Device device, {ScalarType} dtype, bool non_blocking", "device, dtype, non_blocking"),
            ("global::TorchSharp.DeviceType deviceType, int deviceIndex, bool non_blocking", "deviceType, deviceIndex, non_blocking"),
        };

        w.Line();
        w.Line("// to(), cuda() and cpu() convert each module's parameters separately: tie again after each (see TiedWeights).");
        for (var i = 0; i < overloads.Length; i++)
        {
            if (i > 0)
                w.Line();
            w.Line("/// <inheritdoc/>");
            using (w.Block($"protected override {Module} _to({overloads[i].Parameters})"))
            {
                w.Line($"base._to({overloads[i].Arguments});");
                foreach (var tie in ties)
                    w.Line(tie + ";");
                w.Line("return this;");
            }
        }
    }

    // One assignment per tied Linear: the member it names takes the Linear's weight.
    private static IEnumerable<string> Ties(ModelPlan plan)
    {
        foreach (var member in plan.Members)
        {
            if (member.Layer is LinearLayer { TiedTo: { } tied })
                yield return $"global::ModelDsl.Layers.TiedWeights.Share({member.FieldName}, {plan.Members.First(m => m.Name == tied).FieldName})";
        }
    }
}
