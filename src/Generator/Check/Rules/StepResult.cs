using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>
/// What one attribute does to the value flowing through a member: the new shape, the forward operation,
/// and for a layer attribute the module to construct and its parameter count.
/// </summary>
internal sealed record StepResult(EquatableArray<Dim> Output, OpPlan Op, LayerPlan? Layer = null, Dim? Parameters = null)
{
    public static StepResult Operation(EquatableArray<Dim> output, string kind, params OpArg[] args)
        => new(output, new OpPlan(kind, args.ToEquatableArray(), output));

    public static StepResult Module(EquatableArray<Dim> output, LayerPlan layer, Dim parameters)
        => new(output, new OpPlan("Layer", EquatableArray<OpArg>.Empty, output), layer, parameters);
}

/// <summary>The member a step belongs to, and the value it receives.</summary>
internal sealed record StepInput(MemberSpec Member, StepSpec Step, EquatableArray<Dim> Shape)
{
    public string MemberName => Member.Name;

    public LocationInfo? Location => Step.Location ?? Member.Location;

    public int Rank => Shape.Count;
}
