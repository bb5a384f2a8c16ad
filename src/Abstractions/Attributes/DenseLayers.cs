namespace ModelDsl;

/// <summary>
/// <c>nn.Linear</c>: <c>[*, in] → [*, out]</c>. With one argument the input feature count is inferred
/// from the incoming shape; with two it is checked against it.
/// </summary>
public sealed class LinearAttribute : LayerAttribute
{
    /// <summary>A linear layer whose input feature count is inferred.</summary>
    public LinearAttribute(object outFeatures) => OutFeatures = outFeatures;

    /// <summary>A linear layer with an explicit input feature count, checked against the incoming shape.</summary>
    public LinearAttribute(object inFeatures, object outFeatures) => (InFeatures, OutFeatures) = (inFeatures, outFeatures);

    /// <summary>Input features, or <see langword="null"/> to infer them.</summary>
    public object? InFeatures { get; }

    /// <summary>Output features.</summary>
    public object OutFeatures { get; }

    /// <summary>Whether the layer adds a learned bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// Shares this layer's weight with another member's (an Embedding or Linear of the transposed shape), as
    /// GPT ties its output head to the token embedding. The shared tensor is counted once.
    /// </summary>
    public string? TiedTo { get; set; }

    /// <summary>
    /// Names a <see langword="bool"/> hyperparameter: the weight is shared with <see cref="TiedTo"/> only when it is
    /// true, so one model class serves both the tied and the untied variant.
    /// </summary>
    public string? TiedWhen { get; set; }
}

/// <summary><c>nn.Embedding</c>: integer indices <c>[*]</c> → <c>[*, dim]</c>.</summary>
public sealed class EmbeddingAttribute(object count, object dim) : LayerAttribute
{
    /// <summary>Number of embeddings (vocabulary size).</summary>
    public object Count { get; } = count;

    /// <summary>Width of each embedding vector.</summary>
    public object Dim { get; } = dim;

    /// <summary>Multiplies the embeddings by √dim, as the original Transformer does.</summary>
    public bool Scaled { get; set; }

    /// <summary>
    /// Shares this layer's weight with another member's (an Embedding of the same shape, or a Linear whose weight is
    /// <c>[count, dim]</c>), as the original Transformer shares one matrix between its source and target embeddings
    /// and its output layer. The shared tensor is counted once.
    /// </summary>
    public string? TiedTo { get; set; }

    /// <summary>Names a <see langword="bool"/> hyperparameter: the weight is shared only when it is true.</summary>
    public string? TiedWhen { get; set; }
}

/// <summary>
/// <c>nn.Identity</c>: a member that holds no weights and names a chain of steps, such as
/// <c>[Identity, Scale(0.5), Exp] partial Identity Sigma { get; }</c>. A member of type <c>Identity</c> needs no
/// layer attribute: this one is implied.
/// </summary>
public sealed class IdentityAttribute : LayerAttribute
{
}
