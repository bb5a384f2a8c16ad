using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Model;
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
        foreach (var (tie, condition) in Ties(plan))
            w.Line(condition is null ? $"{tie}; // tied: one tensor, counted once" : $"if ({Naming.Escape(condition)}) {tie}; // tied when {condition}: one tensor, counted once");

        // A scaled embedding that takes another module's weight initialises the shared tensor as its own.
        foreach (var member in plan.Members.Where(m => m.Layer is EmbeddingLayer { Scaled: true, TiedTo: not null }))
        {
            var condition = member.Layer.TieCondition;
            foreach (var line in member.Layer.AfterConstruction(new ConstructionLowering(member.FieldName)))
                w.Line(condition is null ? line : $"if ({Naming.Escape(condition)}) {line}");
        }
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
                foreach (var (tie, condition) in ties)
                    w.Line(condition is null ? tie + ";" : $"if ({HyperparameterNames.Accessor(plan.Spec, condition)}) {tie};");
                w.Line("return this;");
            }
        }
    }

    // One share per module that takes a weight, with the hyperparameter that decides it. Each group of tied members has
    // one owner whose Parameter object the others take, so parameters() lists it once: a Linear of the group when there
    // is one (TorchSharp hands out a Linear's own Parameter, where another module's would be a new wrapper), else the
    // member the others name.
    private static IEnumerable<(string Tie, string? Condition)> Ties(ModelPlan plan)
    {
        var tied = plan.Members.Where(m => m.Layer.TieTarget is not null).ToList();
        foreach (var group in tied.GroupBy(m => m.Layer.TieTarget!))
        {
            var target = plan.Members.First(m => m.Name == group.Key);
            var owner = group.FirstOrDefault(m => m.Layer is LinearLayer) ?? target;
            foreach (var member in group.Prepend(target).Where(m => m != owner))
            {
                var condition = member == target ? owner.Layer.TieCondition : member.Layer.TieCondition;
                yield return ($"global::ModelDsl.Layers.TiedWeights.Share({owner.FieldName}, {member.FieldName})", condition);
            }
        }
    }
}
