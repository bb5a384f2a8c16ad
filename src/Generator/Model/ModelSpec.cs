namespace ModelDsl.Generator.Model;

/// <summary>What the parser read from one <c>[Model]</c> class: plain, equatable data only.</summary>
/// <param name="Namespace">The namespace as generated code declares it (keywords escaped); "" for the global one.</param>
/// <param name="IsPublic">Whether other assemblies see the class (it and its containing types are public).</param>
/// <param name="HasClashingConstructor">Whether the class declares the constructor the generator writes (reported; placeholders leave it out).</param>
/// <param name="Methods">Methods other than Forward that declare a shape contract, for <c>[Call]</c>.</param>
/// <param name="HintName">The generated file's name, unique per type, e.g. <c>Samples.Mlp.g.cs</c>.</param>
/// <param name="ExportsOnnx">False for <c>[Model(Onnx = false)]</c>: no ONNX export, and no warning about one.</param>
internal sealed record ModelSpec(
    string Namespace,
    string Name,
    string FullyQualifiedName,
    EquatableArray<HyperParameterSpec> Parameters,
    EquatableArray<HyperParameterSpec> Constants,
    string? ConstructorModifiers,
    EquatableArray<MemberSpec> Members,
    ForwardSpec? Forward,
    bool IsProgressiveColumn,
    EquatableArray<string> MemberNames,
    EquatableArray<MethodSpec> Methods,
    string TypeParameters,
    string Keyword,
    EquatableArray<string> ContainingTypes,
    string HintName,
    bool IsPublic,
    bool HasClashingConstructor,
    bool ExportsOnnx,
    LocationInfo? Location)
{
    /// <summary>Whether the user declared a <c>partial</c> constructor carrying the hyperparameters.</summary>
    public bool HasPartialConstructor => ConstructorModifiers is not null;
}

/// <summary>A constructor parameter (hyperparameter) or a constant of the model class.</summary>
internal sealed record HyperParameterSpec(string Name, string Type, string? Value);

/// <summary>A partial property decorated with layer and step attributes; <c>Setter</c> is a (rejected) setter's declaration, else "".</summary>
/// <param name="Nested">The [Model] the property's type names, read in turn; null when it names none, or one that contains it.</param>
/// <param name="NestingCycle">For a property whose model contains this model again, the chain: <c>Block → Inner → Block</c>.</param>
internal sealed record MemberSpec(
    string Name,
    string Modifiers,
    string Setter,
    string TypeName,
    string TypeMetadataName,
    EquatableArray<StepSpec> Steps,
    ModelSpec? Nested,
    string? NestingCycle,
    LocationInfo? Location);

/// <summary>
/// One attribute of a member, in source order. Every argument is named: a constructor argument takes the name of
/// the property that exposes it (<c>outFeatures</c> → <c>OutFeatures</c>), so rules read all of them by <c>nameof</c>.
/// </summary>
/// <param name="AttributeName">The attribute class's name, e.g. <c>LinearAttribute</c>.</param>
/// <param name="Unbound">Whether the compiler could not bind the attribute's constructor (its arguments are then unreadable).</param>
internal sealed record StepSpec(
    string AttributeName,
    EquatableArray<NamedArg> Args,
    bool Unbound,
    LocationInfo? Location)
{
    /// <summary>The name users write: <c>Linear</c> for <c>LinearAttribute</c>.</summary>
    public string Name => AttributeName.EndsWith("Attribute", System.StringComparison.Ordinal)
        ? AttributeName.Substring(0, AttributeName.Length - "Attribute".Length)
        : AttributeName;

    public ArgValue? Get(string name)
    {
        foreach (var arg in Args)
            if (arg.Name == name)
                return arg.Value;
        return null;
    }
}

/// <summary>A named attribute argument.</summary>
internal sealed record NamedArg(string Name, ArgValue Value);

/// <summary>The kinds of constant an attribute argument can hold.</summary>
internal enum ArgKind
{
    Null,
    Int,
    Double,
    Bool,
    String,
    Array,
    Other,
}

/// <summary>An attribute argument's value as text (invariant culture) with its kind.</summary>
internal sealed record ArgValue(ArgKind Kind, string Text, EquatableArray<ArgValue> Items)
{
    public static ArgValue Of(ArgKind kind, string text) => new(kind, text, EquatableArray<ArgValue>.Empty);

    public override string ToString() => Kind switch
    {
        ArgKind.String => "\"" + Text + "\"",
        ArgKind.Array => "[" + string.Join(", ", Items) + "]",
        _ => Text,
    };
}

/// <summary>The user's <c>partial Forward</c> declaration.</summary>
/// <param name="Outputs">One output for a <c>Tensor</c> return; one per element for a tuple of tensors.</param>
/// <param name="ReturnsTuple">Whether Forward returns a tuple, whose elements name the values returned.</param>
internal sealed record ForwardSpec(
    string Modifiers,
    string ReturnType,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<OutputSpec> Outputs,
    bool ReturnsTuple,
    LocationInfo? Location);

/// <summary>
/// One value Forward returns: the tuple element's name (null for a single <c>Tensor</c>), and the <c>[return: Shape]</c>
/// declared for it, if any.
/// </summary>
internal sealed record OutputSpec(string? Name, EquatableArray<ArgValue>? Shape, LocationInfo? Location);

/// <summary>
/// A method a <c>[Call]</c> step may invoke: its parameters with their declared shapes and its declared return shape.
/// <paramref name="Problem"/> says why it cannot be a step (not returning a Tensor, generic, …), else null.
/// </summary>
internal sealed record MethodSpec(
    string Name,
    EquatableArray<InputSpec> Parameters,
    EquatableArray<ArgValue>? ReturnShape,
    string? Problem,
    LocationInfo? Location);

/// <summary>One <c>Forward</c> parameter and its declared shape.</summary>
internal sealed record InputSpec(string Name, string Type, EquatableArray<ArgValue>? Shape, LocationInfo? Location);

/// <summary>The parser's output: a model when the declaration is usable, and what was wrong with it.</summary>
internal sealed record ParseResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
