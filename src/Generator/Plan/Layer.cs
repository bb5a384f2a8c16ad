using System.Collections.Generic;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Plan;

/// <summary>
/// A member's own module: an operation that also has a constructor call, parameters and a state-dict entry.
/// </summary>
internal abstract record Layer : Op
{
    /// <summary>The metadata name of the TorchSharp module type the member's property must have.</summary>
    public abstract string ModuleType { get; }

    /// <summary>The number of trainable parameters, in the constructor's hyperparameters.</summary>
    public abstract Dim Parameters { get; }

    /// <summary>The dims the constructor needs: each must be known there, not only from the input.</summary>
    public abstract IEnumerable<(string What, Dim Size)> ConstructionSizes { get; }

    /// <summary>The layer as the summary table names it: <c>Linear, tied to wte</c>, <c>GptBlock × layers</c>.</summary>
    public virtual string Describe => Name;

    /// <summary>The weight another member's <c>TiedTo</c> may share, as <c>[out, in]</c>; null when there is none to share.</summary>
    /// <summary>The member whose weight this layer shares (<c>TiedTo</c>), or null.</summary>
    public virtual string? TieTarget => null;

    /// <summary>The <c>bool</c> hyperparameter that decides the tie (<c>TiedWhen</c>), or null when it always holds.</summary>
    public virtual string? TieCondition => null;

    public virtual EquatableArray<Dim>? TiedWeight => null;

    /// <summary>
    /// Whether the member holds a learned tensor (a <c>Parameter</c>, registered with <c>register_parameter</c> under the
    /// member's key) rather than a module.
    /// </summary>
    public virtual bool IsParameter => false;

    /// <summary>How many copies the member holds (a <c>ModuleList</c>), or null for one module.</summary>
    public virtual Dim? Repeat => null;

    /// <summary>Whether its output is a new tensor no one else holds, which a following activation may overwrite.</summary>
    public virtual bool OutputIsFresh => false;

    /// <summary>
    /// What a progressive column does with the layer: <see cref="ColumnRole.Adapted"/> layers take lateral
    /// connections (their file gives <see cref="LateralAdapter"/>), <see cref="ColumnRole.PassThrough"/> ones sit
    /// between them, and anything else cannot be part of a column.
    /// </summary>
    public virtual ColumnRole ColumnRole => ColumnRole.Unsupported;

    /// <summary>The lateral adapter of an <see cref="ColumnRole.Adapted"/> layer that reads <paramref name="input"/>.</summary>
    public virtual LateralAdapterPlan? LateralAdapter(EquatableArray<Dim> input, bool flattenedMap) => null;

    /// <summary>The constructor expression, with only non-default arguments spelled out.</summary>
    public abstract string Construct(ConstructionLowering c);

    /// <summary>Statements the constructor runs after registering the module (e.g. an initialisation).</summary>
    public virtual IEnumerable<string> AfterConstruction(ConstructionLowering c) => [];

    /// <summary>Calls the module on the flowing value.</summary>
    protected override string Apply(ForwardLowering f) => $"{f.Field}.call({f.Value})";
}

/// <summary>How a progressive column treats a layer.</summary>
internal enum ColumnRole
{
    Unsupported,
    PassThrough,
    Adapted,
}
