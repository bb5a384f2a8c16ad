using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>Every diagnostic ModelDsl reports. IDs are stable and listed in AnalyzerReleases.*.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "ModelDsl.Declaration";
    private const string Shapes = "ModelDsl.Shapes";
    // Each ID has an entry with cause, example and fix in docs/diagnostics.md, shipped with the source.
    private const string HelpBase = "docs/diagnostics.md#";

    // MDL00xx: the declaration cannot be read.
    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "MDL0001", Declaration, "Model class must be partial",
        "Model class '{0}' must be declared partial so the generator can add its TorchSharp module");

    public static readonly DiagnosticDescriptor MissingForward = Error(
        "MDL0002", Declaration, "Model has no partial Forward method",
        "Model '{0}' must declare 'public partial Tensor Forward(...)' with [Shape] on each argument");

    public static readonly DiagnosticDescriptor UnsupportedMember = Error(
        "MDL0003", Declaration, "Unsupported member kind",
        "'{0}' cannot carry layer attributes: {1}");

    public static readonly DiagnosticDescriptor LayerTypeMismatch = Error(
        "MDL0004", Declaration, "Layer attribute does not match the property type",
        "Member '{0}': {1}");

    public static readonly DiagnosticDescriptor MalformedArgument = Error(
        "MDL0005", Declaration, "Malformed attribute argument",
        "{0} on '{1}': {2}");

    public static readonly DiagnosticDescriptor UnknownHyperParameter = Error(
        "MDL0006", Declaration, "Unknown hyperparameter",
        "'{0}' in \"{1}\" is not a constructor parameter or constant of '{2}'");

    public static readonly DiagnosticDescriptor InvalidExpression = Error(
        "MDL0007", Declaration, "Invalid dimension expression",
        "\"{0}\" is not a valid integer expression: {1}");

    public static readonly DiagnosticDescriptor InvalidForward = Error(
        "MDL0008", Declaration, "Invalid Forward declaration",
        "Forward of '{0}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedModelDeclaration = Error(
        "MDL0009", Declaration, "Unsupported model declaration",
        "Model '{0}': {1}");

    public static readonly DiagnosticDescriptor UnnamedOutput = Error(
        "MDL0010", Declaration, "Returned tuple element has no name",
        "Forward of '{0}' returns a tuple whose element {1} has no name; name each element after the value it returns, e.g. (Tensor Mu, Tensor LogVar)");

    public static readonly DiagnosticDescriptor OutputShapeCount = Error(
        "MDL0011", Declaration, "Return shapes do not match the returned values",
        "Forward of '{0}' returns {1} value(s) but declares {2} [return: Shape] attribute(s); give one per value, in order, or none");

    public static readonly DiagnosticDescriptor UnknownCallTarget = Error(
        "MDL0012", Declaration, "[Call] names no method of the model",
        "'{0}' in [Call] on '{1}' is not a method of '{2}'");

    public static readonly DiagnosticDescriptor CallTargetUnusable = Error(
        "MDL0013", Declaration, "Method cannot be used as a step",
        "Method '{0}' cannot be a step of '{1}': {2}");

    public static readonly DiagnosticDescriptor RecurrentStateCount = Error(
        "MDL0014", Declaration, "Recurrent state names do not match the layer's state",
        "{0} on '{1}': {2} names {3} value(s), but an {0}'s state is two tensors (h, c); name both, in that order, or none");

    public static readonly DiagnosticDescriptor NestingCycle = Error(
        "MDL0015", Declaration, "A model contains itself",
        "Member '{0}' of type '{1}' makes a model contain itself ({2}); a nested model must be another model");

    // MDL01xx: the shapes do not fit.
    public static readonly DiagnosticDescriptor FeatureMismatch = Error(
        "MDL0101", Shapes, "Feature or channel count mismatch",
        "{0} '{1}' expects {2} but receives {3}");

    public static readonly DiagnosticDescriptor ReturnShapeMismatch = Error(
        "MDL0102", Shapes, "Declared return shape differs from the inferred one",
        "{0} '{1}' produces {2} but Forward returns {3}");

    public static readonly DiagnosticDescriptor InvalidSpatialSize = Error(
        "MDL0103", Shapes, "Convolution or pooling gives an invalid size",
        "{0} '{1}' on input {2}: {3}");

    public static readonly DiagnosticDescriptor ReshapeMismatch = Error(
        "MDL0104", Shapes, "Reshape changes the element count",
        "Reshape on '{0}' cannot turn {1} ({2} elements per sample) into {3} ({4} elements per sample)");

    public static readonly DiagnosticDescriptor ResidualMismatch = Error(
        "MDL0105", Shapes, "Residual operands differ in shape",
        "Residual on '{0}' adds {1} from '{2}' to {3}");

    public static readonly DiagnosticDescriptor RankMismatch = Error(
        "MDL0106", Shapes, "Layer receives a tensor of the wrong rank",
        "{0} '{1}' expects {2} but receives {3}");

    public static readonly DiagnosticDescriptor UnknownTap = Error(
        "MDL0107", Shapes, "Unknown tap",
        "'{0}' on '{1}' is not a Forward argument or an earlier member (known: {2})");

    public static readonly DiagnosticDescriptor SizeNotKnownAtConstruction = Error(
        "MDL0108", Shapes, "Size must be known when the model is constructed",
        "{0} '{1}' needs its {2} at construction, but it is '{3}', which is only known from the input");

    public static readonly DiagnosticDescriptor NestedModelMismatch = Error(
        "MDL0109", Shapes, "Nested model does not fit",
        "Nested model '{0}' of type '{1}': {2}");

    public static readonly DiagnosticDescriptor RepeatChangesShape = Error(
        "MDL0110", Shapes, "Repeated block changes the shape",
        "'{0}' repeats '{1}', which turns {2} into {3}; a repeated block must keep its input shape");

    public static readonly DiagnosticDescriptor ConcatMismatch = Error(
        "MDL0111", Shapes, "Concatenated tensors do not fit",
        "Concat on '{0}' along dim {1} cannot join {2} and {3} from '{4}'");

    public static readonly DiagnosticDescriptor HeadsMismatch = Error(
        "MDL0112", Shapes, "Attention width is not a multiple of the heads",
        "{0} '{1}': the embedding width {2} must be a multiple of the number of heads {3}");

    public static readonly DiagnosticDescriptor TiedWeightMismatch = Error(
        "MDL0113", Shapes, "Tied weights differ in shape",
        "Linear '{0}' cannot share its weight {1} with '{2}', whose weight is {3}");

    public static readonly DiagnosticDescriptor GanMismatch = Error(
        "MDL0114", Shapes, "Generator output does not fit the discriminator",
        "Generator '{0}' produces {1} but discriminator '{2}' expects {3}");

    public static readonly DiagnosticDescriptor UnsupportedColumnLayer = Error(
        "MDL0115", Declaration, "Layer cannot take lateral connections",
        "Progressive column '{0}': {1}");

    public static readonly DiagnosticDescriptor AxisOutOfRange = Error(
        "MDL0116", Shapes, "Dimension index out of range",
        "{0} on '{1}': dim {2} is out of range for {3} (rank {4})");

    public static readonly DiagnosticDescriptor UnevenSplit = Error(
        "MDL0117", Shapes, "Split does not divide the dimension",
        "{0} on '{1}' cannot cut size {2} of {3} into {4}");

    public static readonly DiagnosticDescriptor BroadcastMismatch = Error(
        "MDL0118", Shapes, "Operands cannot be broadcast together",
        "{0} on '{1}' cannot broadcast {2} from '{3}' with {4}");

    public static readonly DiagnosticDescriptor CallShapeMismatch = Error(
        "MDL0119", Shapes, "Value does not fit the called method's shape contract",
        "{0} on '{1}': parameter '{2}' declares {3} but receives {4} ({5} differs)");

    public static readonly DiagnosticDescriptor SqueezeNonUnit = Error(
        "MDL0120", Shapes, "Squeezed dimension is not 1",
        "Squeeze on '{0}': dim {1} of {2} is {3}, not 1");

    public static readonly DiagnosticDescriptor ReshapeReordersAxes = new(
        "MDL0121", "Reshape only reorders the dimensions",
        "Reshape on '{0}' turns {1} into {2}, only reordering its dims: a reshape keeps memory order and does not swap axes; use Transpose or Permute",
        Shapes, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "mdl0121");

    public static readonly DiagnosticDescriptor NotAPermutation = Error(
        "MDL0122", Shapes, "Permute order is not a permutation",
        "Permute on '{0}': ({1}) is not an order of the {2} dims of {3}");

    public static readonly DiagnosticDescriptor UnknownOutput = Error(
        "MDL0123", Shapes, "Returned value is unknown",
        "Forward of '{0}' returns '{1}', which is not an argument, member or split part (known: {2})");

    public static readonly DiagnosticDescriptor DuplicateTap = Error(
        "MDL0124", Shapes, "Two values have the same name",
        "'{0}' on '{1}' names a value that already exists; each argument, member and split part needs its own name");

    public static readonly DiagnosticDescriptor SplitHasNoValue = Error(
        "MDL0125", Shapes, "A split member has no value of its own",
        "'{0}' is split into {1} and has no value of its own; read one of its parts (start the next member with [Input(...)])");

    public static readonly DiagnosticDescriptor GanConditionMismatch = Error(
        "MDL0126", Shapes, "Generator and discriminator take different conditions",
        "Generator '{0}' takes the conditions {1} but discriminator '{2}' takes {3}");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(
        "MDL0127", Shapes, "Channels are not a multiple of the groups",
        "GroupNorm on '{0}': the {1} channels of {2} cannot be cut into {3} equal groups");

    public static readonly DiagnosticDescriptor RecurrentStateMismatch = Error(
        "MDL0128", Shapes, "Recurrent state has the wrong shape",
        "{0} '{1}': the initial state '{2}' must be {3} ([layers * directions, B, hidden]) but is {4}");

    public static readonly DiagnosticDescriptor RotaryOddHeadSize = Error(
        "MDL0129", Shapes, "Rotary embedding needs an even head size",
        "{0} '{1}': rotary embedding turns pairs of features, but each of the {2} heads of width {3} has {4} features");

    public static readonly DiagnosticDescriptor LearnedShapeMismatch = Error(
        "MDL0130", Shapes, "Learned tensor does not fit the value",
        "Learned '{0}' of shape {1} must broadcast to the value {2} without changing its shape");

    public static readonly DiagnosticDescriptor IndexOutOfRange = Error(
        "MDL0131", Shapes, "Index out of range",
        "Select on '{0}': index {1} is out of range for dim {2} of {3}");

    // MDL0999: a defect in the generator itself, reported instead of crashing the compiler.
    public static readonly DiagnosticDescriptor InternalError = Error(
        "MDL0999", Declaration, "Internal generator error",
        "ModelDsl could not process model '{0}': {1}. Please report this with the model's declaration.");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
               helpLinkUri: HelpBase + id.ToLowerInvariant());
}
