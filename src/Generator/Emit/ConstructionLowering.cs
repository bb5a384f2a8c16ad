using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>What a layer's constructor call may use: dims and rates in terms of the constructor's parameters.</summary>
internal sealed class ConstructionLowering(string field)
{
    /// <summary>The private field the module is assigned to.</summary>
    public string Field { get; } = field;

    public string Code(Dim dim) => dim.ToCode(Naming.Escape);

    public string Code(RealArg real) => real.Value is { } value ? CodeText.Real(value) : Naming.Escape(real.Hyperparameter!);
}
