using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// Every diagnostic ModelDsl reports, one ID per cause. IDs are stable and listed in AnalyzerReleases.*.md; each
/// descriptor carries its whole explanation (title, message, description), so an IDE shows it without the docs.
/// The help link is set per build from the <c>ModelDslHelpLinkBase</c> property (see <see cref="HelpLinks"/>).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "ModelDsl.Declaration";
    private const string Shapes = "ModelDsl.Shapes";
    private const string Onnx = "ModelDsl.Onnx";

    // ---- MDL00xx: the declaration cannot be read ----

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "MDL0001", Declaration, "Model class must be partial",
        "Model class '{0}' must be declared partial so the generator can add its TorchSharp module",
        "The generator writes the rest of a [Model] or [Gan] class (its base class, constructor, Forward body) in another file, which needs 'partial'.");

    public static readonly DiagnosticDescriptor MissingForward = Error(
        "MDL0002", Declaration, "Model has no partial Forward method",
        "Model '{0}' must declare 'public partial Tensor Forward(...)' with [Shape] on each argument",
        "A model declares its forward signature, 'public partial Tensor Forward(...)' with a [Shape] on each argument; the generator implements it from the members.");

    public static readonly DiagnosticDescriptor NotAPartialProperty = Error(
        "MDL0003", Declaration, "Layer attributes need a partial get-only property",
        "'{0}' cannot carry layer attributes: {1}",
        "Layer and step attributes go on 'partial T Name { get; }' instance properties without a body, setter or implementation: the generator implements them, returning the module it creates.");

    public static readonly DiagnosticDescriptor PropertyTypeMismatch = Error(
        "MDL0004", Declaration, "Property type is not the layer's module",
        "Member '{0}': {1}",
        "A member's property type is the module its layer creates: [Linear] needs TorchSharp.Modules.Linear, [CausalSelfAttention] ModelDsl.Layers.CausalSelfAttention, [Nested] a [Model] class, or ModuleList<T> of one with Repeat.");

    public static readonly DiagnosticDescriptor ArgumentType = Error(
        "MDL0005", Declaration, "Attribute argument has the wrong type",
        "{0} on '{1}': {2}",
        "An attribute argument has a type the DSL does not read there: sizes are integers or hyperparameter expressions (\"4 * embed\"), rates numbers or hyperparameter names, taps names (nameof(Member)), flags true or false.");

    public static readonly DiagnosticDescriptor UnknownHyperParameter = Error(
        "MDL0006", Declaration, "Unknown hyperparameter",
        "'{0}' in \"{1}\" is not a constructor parameter or constant of '{2}'",
        "A dimension expression names something that is neither an integer parameter of the partial constructor nor an integer constant of the class.");

    public static readonly DiagnosticDescriptor InvalidExpression = Error(
        "MDL0007", Declaration, "Invalid dimension expression",
        "\"{0}\" is not a valid integer expression: {1}",
        "Dimension expressions are integers, hyperparameter names, + - * / % and parentheses; / and % need a positive constant on the right.");

    public static readonly DiagnosticDescriptor ForwardReturnType = Error(
        "MDL0008", Declaration, "Forward returns something other than tensors",
        "Forward of '{0}' must return Tensor, or a tuple of 2 to 7 Tensors, by value, not '{1}'",
        "Forward returns one Tensor, or a tuple of named Tensors such as (Tensor Mu, Tensor LogVar) whose elements name the values returned.");

    public static readonly DiagnosticDescriptor UnsupportedModelClass = Error(
        "MDL0009", Declaration, "Class cannot be a model or pairing",
        "'{0}': {1}",
        "A [Model] or [Gan] class is a top-level, non-generic, concrete class that is not file-local and declares no base class: the generator derives it from TorchSharp's Module in another file.");

    public static readonly DiagnosticDescriptor UnnamedOutput = Error(
        "MDL0010", Declaration, "Returned tuple element has no name",
        "Forward of '{0}' returns a tuple whose element {1} has no name; name each element after the value it returns, e.g. (Tensor Mu, Tensor LogVar)",
        "Each element of a returned tuple names the tap it returns: an argument, a member or a split part.");

    public static readonly DiagnosticDescriptor OutputShapeCount = Error(
        "MDL0011", Declaration, "Return shapes do not match the returned values",
        "Forward of '{0}' returns {1} value(s) but declares {2} [return: Shape] attribute(s); give one per value, in order, or none",
        "A Forward that returns several values declares one [return: Shape] per value, in the tuple's order, or none at all.");

    public static readonly DiagnosticDescriptor UnknownCallTarget = Error(
        "MDL0012", Declaration, "[Call] names no method of the model",
        "'{0}' in [Call] on '{1}' is not a method of '{2}'",
        "A [Call] step calls a method declared in the model class; nameof(Method) keeps the two together.");

    public static readonly DiagnosticDescriptor CallTargetUnusable = Error(
        "MDL0013", Declaration, "Method cannot be used as a step",
        "Method '{0}' cannot be a step of '{1}': {2}",
        "A [Call] method returns Tensor, is neither generic nor overloaded, takes the flowing value and then one Tensor per With tap, and declares its shape contract: one [Shape] on each parameter and one [return: Shape].");

    public static readonly DiagnosticDescriptor RecurrentStateCount = Error(
        "MDL0014", Declaration, "Recurrent state names do not match the layer's state",
        "{0} on '{1}': {2} names {3} value(s), but an {0}'s state is two tensors (h, c); name both, in that order, or none",
        "An LSTM's state is two tensors, (h, c), and a GRU's one, h: InitialState and FinalState name one tap per tensor, in that order, or are left unset (zeros in, no state out).");

    public static readonly DiagnosticDescriptor NestingCycle = Error(
        "MDL0015", Declaration, "A model contains itself",
        "Member '{0}' of type '{1}' makes a model contain itself ({2}); a nested model must be another model",
        "A [Nested] member's type must be another model: a model that contains itself, directly or through the models it nests, would need an infinite module tree.");

    public static readonly DiagnosticDescriptor RealOutOfRange = Error(
        "MDL0016", Declaration, "Number out of range",
        "{0} on '{1}': {2}",
        "A real-valued setting lies outside the values its layer accepts: a normalisation's Eps is zero or more, a rotary embedding's RotaryBase exceeds 1.");

    public static readonly DiagnosticDescriptor ArgumentsConflict = Error(
        "MDL0017", Declaration, "Arguments cannot be combined",
        "{0} on '{1}': {2}",
        "Two settings of one attribute contradict each other, such as rotary positions, which compare positions within one sequence, on attention over another sequence's Memory.");

    public static readonly DiagnosticDescriptor TieConditionNotBool = Error(
        "MDL0018", Declaration, "Tie condition is not a bool hyperparameter",
        "{0} on '{1}': TiedWhen cannot decide the tie: {2}",
        "TiedWhen names a bool parameter of the model's partial constructor; the weight is shared with TiedTo's member only when it is true, so one class serves the tied and the untied model.");

    public static readonly DiagnosticDescriptor DuplicateDeclaration = Error(
        "MDL0020", Declaration, "Declared more than once",
        "'{0}' of '{1}' is declared more than once",
        "A layer member, Forward or a Forward argument is declared twice; the generator implements each exactly once.");

    public static readonly DiagnosticDescriptor InvalidModifiers = Error(
        "MDL0021", Declaration, "Modifiers are not one accessibility",
        "'{0}' of '{1}': its modifiers '{2}' are not one accessibility",
        "The generated implementation repeats a partial member's modifiers, so a layer property, Forward or the partial constructor has at most one accessibility such as 'public' (Forward and the constructor exactly one).");

    public static readonly DiagnosticDescriptor TwoLayersInOneMember = Error(
        "MDL0022", Declaration, "A member holds two layers",
        "Member '{0}' already has the layer [{1}]; add another member for [{2}]",
        "Each member holds exactly one module, named by the member; a second layer attribute needs a member of its own.");

    public static readonly DiagnosticDescriptor MemberWithoutLayer = Error(
        "MDL0023", Declaration, "A member has no layer",
        "Member '{0}' has no layer attribute for its type {1}; add one such as [Linear(...)], or [Nested(...)] for a [Model]",
        "Each member holds one module: a layer attribute such as [Linear(...)] or [Nested(...)]. A member of type Identity needs none.");

    public static readonly DiagnosticDescriptor ValueOutOfRange = Error(
        "MDL0024", Declaration, "Integer argument out of range",
        "{0} on '{1}': {2}",
        "Sizes, scales and declared dims are positive and fit an int; an argument of a nested model fits its parameter's type.");

    public static readonly DiagnosticDescriptor RateOutOfRange = Error(
        "MDL0025", Declaration, "Rate out of range",
        "{0} on '{1}': {2} must be between {3} and {4}, not {5}",
        "A rate such as a dropout probability lies in [0, 1]; a hyperparameter used as one is checked by the generated constructor.");

    public static readonly DiagnosticDescriptor PaddingMismatch = Error(
        "MDL0026", Declaration, "Padding does not fit the kernel and stride",
        "{0} on '{1}': {2}",
        "A transposed convolution's OutputPadding is below its stride; Padding = \"same\" needs a constant, odd kernel for a convolution and a kernel at least the stride for a transposed one; pooling pads at most half its window.");

    public static readonly DiagnosticDescriptor NotConstant = Error(
        "MDL0027", Declaration, "Argument must be a constant",
        "{0} on '{1}': {2} must be a constant, not \"{3}\"",
        "A convolution's stride and a pooling window, stride and padding are integer constants: the size arithmetic divides by them at compile time.");

    public static readonly DiagnosticDescriptor UnknownAttribute = Error(
        "MDL0028", Declaration, "Attribute is not in the catalogue",
        "[{0}] on '{1}' is not a layer or step of the ModelDsl catalogue",
        "A class derived from LayerAttribute or StepAttribute outside ModelDsl has no shape rule; write the step as a method and call it with [Call].");

    public static readonly DiagnosticDescriptor SizeOverflow = Error(
        "MDL0029", Declaration, "Size overflows 64 bits",
        "{0} on '{1}': its sizes do not fit in 64-bit integers",
        "Sizes and parameter counts are exact 64-bit integers; a model whose sizes or parameter count would overflow one cannot be built.");

    public static readonly DiagnosticDescriptor MissingArguments = Error(
        "MDL0030", Declaration, "A step lacks its arguments",
        "{0} on '{1}': {2}",
        "Reshape needs its dims, Concat its taps, Chunk and Split two or more part names (and Split one size per part).");

    public static readonly DiagnosticDescriptor GanArguments = Error(
        "MDL0031", Declaration, "[Gan] needs two models",
        "[Gan] on '{0}': both arguments must be typeof(...) of [Model] classes",
        "A [Gan(typeof(G), typeof(D))] pairing names a generator and a discriminator, each a [Model] class.");

    public static readonly DiagnosticDescriptor RealInDimension = Error(
        "MDL0032", Declaration, "Real hyperparameter used as a dimension",
        "\"{0}\" is not a valid integer expression: '{1}' is a {2}; dimensions need integer hyperparameters",
        "Dimensions are integers: a double or float hyperparameter can be a rate (Dropout, Scale) but not a size.");

    public static readonly DiagnosticDescriptor ForwardArgument = Error(
        "MDL0033", Declaration, "Forward takes something other than tensors",
        "Forward of '{0}': {1}",
        "Forward takes 1 to 6 Tensor arguments, each passed by value (no ref, out, in, this or params) under a valid name.");

    public static readonly DiagnosticDescriptor MissingShape = Error(
        "MDL0034", Declaration, "Forward argument without one [Shape]",
        "Forward of '{0}': argument '{1}' needs {2} [Shape(...)] attribute",
        "Each Forward argument declares its shape with exactly one [Shape(...)]: integers, hyperparameter expressions and symbolic dims such as \"B\".");

    public static readonly DiagnosticDescriptor ReservedName = Error(
        "MDL0035", Declaration, "Name taken by the generated code",
        "'{0}' of '{1}': {2}",
        "The generated code declares members (forward, Summary, ParameterCount, a field _name per layer…) and locals (scope, block, the argument shapes), and uses Module's training and register_module; a user name that is one of them must change.");

    public static readonly DiagnosticDescriptor ForwardNotImplementable = Error(
        "MDL0036", Declaration, "Forward cannot be implemented",
        "Forward of '{0}': {1}",
        "Forward is a non-generic instance method declared 'partial' without a body or 'extern'; the generator writes its implementation.");

    public static readonly DiagnosticDescriptor UnboundReturnName = Error(
        "MDL0037", Declaration, "Return shape names an unknown dim",
        "Forward of '{0}': '{1}' in the return shape is not a hyperparameter nor a symbolic dim of an argument",
        "A return shape uses hyperparameters and the symbolic dims the arguments bind; a name first seen there has no value.");

    public static readonly DiagnosticDescriptor ConstructorNotImplementable = Error(
        "MDL0038", Declaration, "Constructor cannot be implemented",
        "Constructor of '{0}': {1}",
        "The generator writes a model's one constructor: the hyperparameters go in a single partial constructor without a body or 'extern', with parameters passed by value, and no other constructor takes the same parameters.");

    public static readonly DiagnosticDescriptor ModuleTypeNotFound = Error(
        "MDL0039", Declaration, "Layer type not found",
        "Member '{0}': the type '{1}' is not found; add 'using {2};'",
        "A property type such as CausalSelfAttention or Linear did not resolve, usually for a missing using directive: ModelDsl's layers are in ModelDsl.Layers, TorchSharp's modules in TorchSharp.Modules.");

    public static readonly DiagnosticDescriptor InvalidStateKey = Error(
        "MDL0040", Declaration, "Invalid state-dict key",
        "Member '{0}': the state-dict key \"{1}\" {2}",
        "A Key is one or more names separated by dots, each made of letters, digits and underscores, as PyTorch's state-dict keys are (\"transformer.h\", \"layer1.0\").");

    public static readonly DiagnosticDescriptor StateKeyClash = Error(
        "MDL0041", Declaration, "Two members share a state-dict key",
        "Members '{0}' and '{1}' of '{2}': {3}",
        "Each member's state-dict key is its own, and a key cannot also be the container of another (\"mlp\" and \"mlp.c_fc\"), as in a PyTorch module.");

    // ---- MDL01xx: the shapes do not fit ----

    public static readonly DiagnosticDescriptor FeatureMismatch = Error(
        "MDL0101", Shapes, "Declared input size differs from the flowing one",
        "{0} '{1}' expects {2} but receives {3}{4}",
        "A layer given its input size, Linear(in, out), must receive that size; drop it (Linear(out)) to have it inferred.");

    public static readonly DiagnosticDescriptor ReturnShapeMismatch = Error(
        "MDL0102", Shapes, "Declared return shape differs from the inferred one",
        "{0} '{1}' produces {2} but Forward returns {3}{4}",
        "The shape Forward declares it returns must be the one its members produce. When a padding of the last layer gives the declared shape, the message says which.");

    public static readonly DiagnosticDescriptor InvalidSpatialSize = Error(
        "MDL0103", Shapes, "Convolution or pooling gives a size that is not positive",
        "{0} '{1}' on input {2}: {3}",
        "A convolution or pooling gives floor((H + 2·padding − kernel) / stride) + 1 rows, a transposed convolution (H − 1)·stride − 2·padding + kernel + outputPadding; either must be positive.");

    public static readonly DiagnosticDescriptor ReshapeMismatch = Error(
        "MDL0104", Shapes, "Reshape changes the element count",
        "Reshape on '{0}' cannot turn {1} ({2} elements per sample) into {3} ({4} elements per sample){5}",
        "Reshape(dims) keeps the batch and must keep the number of elements per sample.");

    public static readonly DiagnosticDescriptor ResidualMismatch = Error(
        "MDL0105", Shapes, "Residual operands differ in shape",
        "Residual on '{0}' adds {1} from '{2}' to {3}",
        "Residual(From = tap) adds a tap to the current value; both must have the same shape (Add broadcasts).");

    public static readonly DiagnosticDescriptor RankMismatch = Error(
        "MDL0106", Shapes, "Layer receives a tensor of the wrong rank",
        "{0} '{1}' expects {2} but receives {3}",
        "A layer or step needs a certain rank, e.g. Conv2d [B, C, H, W]; add a Reshape or move the layer.");

    public static readonly DiagnosticDescriptor UnknownTap = Error(
        "MDL0107", Shapes, "Unknown tap",
        "'{0}' on '{1}' is not a Forward argument, an earlier member or a split part (known: {2})",
        "Steps read taps by name: Forward arguments, earlier members and the parts of earlier splits, in declaration order.");

    public static readonly DiagnosticDescriptor SizeNotKnownAtConstruction = Error(
        "MDL0108", Shapes, "Size must be known when the model is constructed",
        "{0} '{1}' needs its {2} at construction, but it is '{3}', which is only known from the input",
        "A layer's weights are created by the constructor, so their sizes may depend on hyperparameters but not on symbolic input dims such as B or T.");

    public static readonly DiagnosticDescriptor NestedInputMismatch = Error(
        "MDL0109", Shapes, "Nested model's inputs do not fit",
        "Nested model '{0}' of type '{1}': {2}",
        "A nested model receives the flowing value and its Inputs taps; they must fit the shapes its Forward declares, in the outer model's terms, and the nested model must check with them.");

    public static readonly DiagnosticDescriptor RepeatChangesShape = Error(
        "MDL0110", Shapes, "Repeated block changes the shape",
        "'{0}' repeats '{1}', which turns {2} into {3}; a repeated block must keep its input shape",
        "Nested(..., Repeat = n) chains n copies, so each copy must return the shape it receives.");

    public static readonly DiagnosticDescriptor ConcatMismatch = Error(
        "MDL0111", Shapes, "Concatenated tensors do not fit",
        "Concat on '{0}' along dim {1} cannot join {2} and {3} from '{4}'",
        "Concat joins tensors of the same rank whose dims agree except the one joined.");

    public static readonly DiagnosticDescriptor HeadsMismatch = Error(
        "MDL0112", Shapes, "Attention width is not a multiple of the heads",
        "{0} '{1}': the embedding width {2} must be a multiple of the number of heads {3}{4}",
        "CausalSelfAttention and Attention split the width into Heads equal parts.");

    public static readonly DiagnosticDescriptor TiedWeightMismatch = Error(
        "MDL0113", Shapes, "Tied weights differ in shape",
        "{0} '{1}' cannot share its weight {2} with '{3}', whose weight is {4}",
        "TiedTo = nameof(X) shares X's weight, which must have this layer's shape: a Linear's [out, in], an Embedding's [count, dim]; X is an Embedding or Linear that is not itself tied to another.");

    public static readonly DiagnosticDescriptor GanMismatch = Error(
        "MDL0114", Shapes, "Generator output does not fit the discriminator",
        "Generator '{0}' produces {1} but discriminator '{2}' expects {3}",
        "A [Gan] pairing's generator must produce samples of the shape its discriminator's first argument declares.");

    public static readonly DiagnosticDescriptor UnsupportedColumnLayer = Error(
        "MDL0115", Shapes, "Layer cannot take lateral connections",
        "Progressive column '{0}': '{1}' holds a {2}; columns support Linear and Conv2d layers (with normalisation between them)",
        "The lateral adapters of a progressive column copy the geometry of Linear and Conv2d layers; other layers (attention, nested models) cannot take laterals.");

    public static readonly DiagnosticDescriptor AxisOutOfRange = Error(
        "MDL0116", Shapes, "Dimension index out of range",
        "{0} on '{1}': dim {2} is out of range for {3} (rank {4})",
        "Steps name dims by index from the batch at 0 (negative from the end); the index must exist in the value they receive.");

    public static readonly DiagnosticDescriptor UnevenSplit = Error(
        "MDL0117", Shapes, "Split does not divide the dimension",
        "{0} on '{1}' cannot cut size {2} of {3} into {4}",
        "Chunk cuts a dim into equal parts, so its size must be a multiple of their number; Split's sizes must add up to it.");

    public static readonly DiagnosticDescriptor BroadcastMismatch = Error(
        "MDL0118", Shapes, "Operands cannot be broadcast together",
        "{0} on '{1}' cannot broadcast {2} from '{3}' with {4}",
        "Add and Multiply broadcast as PyTorch does: shapes align from the last dim, and each pair is equal or one of them is 1.");

    public static readonly DiagnosticDescriptor CallShapeMismatch = Error(
        "MDL0119", Shapes, "Value does not fit the called method's shape contract",
        "{0} on '{1}': parameter '{2}' declares {3} but receives {4} ({5} differs)",
        "The shapes flowing into a [Call] are matched with the [Shape]s of the method's parameters.");

    public static readonly DiagnosticDescriptor SqueezeNonUnit = Error(
        "MDL0120", Shapes, "Squeezed dimension is not 1",
        "Squeeze on '{0}': dim {1} of {2} is {3}, not 1",
        "Squeeze(d) removes a dim whose size is 1; an input dim the generator cannot compare is checked when Forward runs.");

    public static readonly DiagnosticDescriptor ReshapeReordersAxes = Warning(
        "MDL0121", Shapes, "Reshape only reorders the dimensions",
        "Reshape on '{0}' turns {1} into {2}, only reordering its dims: a reshape keeps memory order and does not swap axes; use Transpose or Permute",
        "A reshape to the same dims in another order builds and runs, but mixes the elements instead of moving the axes; a transpose is almost surely meant.");

    public static readonly DiagnosticDescriptor NotAPermutation = Error(
        "MDL0122", Shapes, "Permute order is not a permutation",
        "Permute on '{0}': ({1}) is not an order of the {2} dims of {3}",
        "Permute names every dim of its input exactly once, the batch included.");

    public static readonly DiagnosticDescriptor UnknownOutput = Error(
        "MDL0123", Shapes, "Returned value is unknown",
        "Forward of '{0}' returns '{1}', which is not an argument, member or split part (known: {2})",
        "Each element of a returned tuple names an argument, a member or a split part (a part named mu also matches an element Mu).");

    public static readonly DiagnosticDescriptor DuplicateTap = Error(
        "MDL0124", Shapes, "Two values have the same name",
        "'{0}' on '{1}' names a value that already exists; each argument, member and split part needs its own name",
        "Arguments, members and split parts share one namespace of taps.");

    public static readonly DiagnosticDescriptor SplitHasNoValue = Error(
        "MDL0125", Shapes, "A split member has no value of its own",
        "'{0}' is split into {1} and has no value of its own; read one of its parts (start the next member with [Input(...)])",
        "After Chunk or Split a member's parts are its values: nothing can read the member itself.");

    public static readonly DiagnosticDescriptor GanConditionMismatch = Error(
        "MDL0126", Shapes, "Generator and discriminator take different conditions",
        "Generator '{0}' takes the conditions {1} but discriminator '{2}' takes {3}",
        "A conditional pairing's generator takes the noise and then its conditions; the discriminator takes the sample and then the same conditions, of the same shapes.");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(
        "MDL0127", Shapes, "Channels are not a multiple of the groups",
        "GroupNorm on '{0}': the {1} channels of {2} cannot be cut into {3} equal groups",
        "GroupNorm normalises equal groups of channels, so the channel count flowing into it must be a multiple of its group count, as PyTorch's nn.GroupNorm requires.");

    public static readonly DiagnosticDescriptor RecurrentStateMismatch = Error(
        "MDL0128", Shapes, "Recurrent state has the wrong shape",
        "{0} '{1}': the initial state '{2}' must be {3} ([layers * directions, B, hidden]) but is {4}",
        "A recurrent layer's initial state taps must have the shape [layers * directions, B, hidden], as PyTorch's nn.LSTM and nn.GRU with batch_first=True expect.");

    public static readonly DiagnosticDescriptor RotaryOddHeadSize = Error(
        "MDL0129", Shapes, "Rotary embedding needs an even head size",
        "{0} '{1}': rotary embedding turns pairs of features, but each of the {2} heads of width {3} has {4} features",
        "Rotary position embedding turns pairs of features in each head, so each head's width (the embedding divided by the head count) must be even.");

    public static readonly DiagnosticDescriptor LearnedShapeMismatch = Error(
        "MDL0130", Shapes, "Learned tensor does not fit the value",
        "Learned '{0}' of shape {1} must broadcast to the value {2} without changing its shape",
        "A Learned tensor is added to the value it follows: its declared shape must broadcast to the value's without growing it (a batch dim of 1, or a trailing shape).");

    public static readonly DiagnosticDescriptor IndexOutOfRange = Error(
        "MDL0131", Shapes, "Index out of range",
        "Select on '{0}': index {1} is out of range for dim {2} of {3}",
        "Select takes one position of a dim, so its index must lie within that dim's size: 0 to size - 1, or -size to -1 counted from the end.");

    public static readonly DiagnosticDescriptor AttentionOperandMismatch = Error(
        "MDL0140", Shapes, "Attention memory or padding mask does not fit",
        "Attention '{0}' expects {1} but receives {2}",
        "Cross-attention reads a memory [B, S, E] of the queries' batch and width, and a key padding mask [B, S] of the memory's length.");

    public static readonly DiagnosticDescriptor SequenceTooLong = Error(
        "MDL0141", Shapes, "Sequence longer than the position table",
        "PositionalEmbedding '{0}' has {1} positions but receives {2}",
        "A learned position table of maxLength rows covers sequences of at most maxLength positions.");

    public static readonly DiagnosticDescriptor NestedArgumentMismatch = Error(
        "MDL0142", Shapes, "Nested model's constructor arguments do not fit",
        "Nested model '{0}' of type '{1}': {2}",
        "[Nested(args)] gives the nested model's constructor one argument per parameter, in order, in this model's terms.");

    public static readonly DiagnosticDescriptor NestedNotUsable = Error(
        "MDL0143", Shapes, "Model cannot be nested",
        "Nested model '{0}' of type '{1}': {2}",
        "A nested model has a constructor this model can call, is at least as accessible as the property exposing it, and returns one tensor.");

    public static readonly DiagnosticDescriptor ColumnWithoutLayers = Error(
        "MDL0144", Shapes, "Progressive column without a Linear or Conv2d layer",
        "Progressive column '{0}' has no Linear or Conv2d layer",
        "A progressive column needs at least one Linear or Conv2d layer to take lateral connections.");

    public static readonly DiagnosticDescriptor SymbolicDimsMeet = Warning(
        "MDL0145", Shapes, "Two different symbolic dims must be equal",
        "{0} on '{1}' needs {2} = {3}: different symbolic dims, checked when Forward runs",
        "An operation needs two dims equal that come from different symbols (T and S, say): the build cannot prove it, so Forward checks it, but it is usually a mistake in the declared shapes.");

    public static readonly DiagnosticDescriptor ColumnForwardArity = Error(
        "MDL0146", Shapes, "Progressive column takes more than one input",
        "Progressive column '{0}': its Forward takes exactly one argument, not {1}",
        "A progressive column passes one tensor through its layers, so its Forward takes one argument.");

    // ---- MDL02xx: the ONNX export; warnings, as the model builds and trains, only without ExportOnnx ----

    public static readonly DiagnosticDescriptor NoOnnxLowering = Warning(
        "MDL0201", Onnx, "Step cannot be exported to ONNX",
        "{0} on '{1}' cannot be exported to ONNX: {2}; '{3}' gets no ExportOnnx",
        "Every operation of a model needs an ONNX lowering for the generator to write the model's ExportOnnx. This one has none where it is used, so the model builds, trains and runs in TorchSharp but cannot be exported. Express it with steps that export, or declare the model [Model(Onnx = false)] if it never leaves TorchSharp.");

    public static readonly DiagnosticDescriptor NestedNotExportable = Warning(
        "MDL0202", Onnx, "Nested model cannot be exported to ONNX",
        "'{0}' nests '{1}', which cannot be exported to ONNX ({2}); '{3}' gets no ExportOnnx",
        "A model exports to ONNX only when every model it nests does. The nested model has an operation without an ONNX lowering (its own MDL0201 names it) or is declared [Model(Onnx = false)], so this model builds and runs in TorchSharp but gets no ExportOnnx.");

    // ---- MDL0999: a defect in the generator itself, reported instead of crashing the compiler ----

    public static readonly DiagnosticDescriptor InternalError = Error(
        "MDL0999", Declaration, "Internal generator error",
        "ModelDsl could not process model '{0}': {1}. Please report this with the model's declaration.",
        "A defect in ModelDsl itself, reported instead of crashing the compiler.");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message, string description)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message, string description)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description);
}
