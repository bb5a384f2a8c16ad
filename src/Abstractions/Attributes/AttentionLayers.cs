namespace ModelDsl;

/// <summary>
/// GPT-style causal self-attention (<c>ModelDsl.Layers.CausalSelfAttention</c>): <c>[B, T, E] → [B, T, E]</c>,
/// with <c>E</c> inferred and required to be a multiple of <see cref="Heads"/>.
/// </summary>
public sealed class CausalSelfAttentionAttribute : LayerAttribute
{
    /// <summary>Number of attention heads (a constant or a hyperparameter expression).</summary>
    public object Heads { get; set; } = 1;

    /// <summary>Dropout on the attention weights and the output (a number or a hyperparameter name).</summary>
    public object Dropout { get; set; } = 0.0;

    /// <summary>
    /// Whether queries and keys are rotated by their position (rotary embedding, Su et al. 2021), as LLaMA does: each
    /// head's pairs of features <c>(2i, 2i + 1)</c> turn by <c>t · RotaryBase^(−2i / headSize)</c> at position <c>t</c>.
    /// The head size must be even.
    /// </summary>
    public bool Rotary { get; set; }

    /// <summary>The base of the rotary frequencies (default 10000; LLaMA 3 uses 500000).</summary>
    public double RotaryBase { get; set; } = 10000;
}

/// <summary>
/// Multi-head attention of the original Transformer (<c>ModelDsl.Layers.Attention</c>): queries from the
/// flowing value <c>[B, T, E]</c>, keys and values from the tap <see cref="Memory"/> <c>[B, S, E]</c> (the
/// flowing value itself when unset), optionally ignoring the keys that the tap <see cref="KeyPadding"/>
/// <c>[B, S]</c> marks true, and optionally causal.
/// </summary>
public sealed class AttentionAttribute : LayerAttribute
{
    /// <summary>Number of attention heads (a constant or a hyperparameter expression).</summary>
    public object Heads { get; set; } = 1;

    /// <summary>Dropout on the attention weights and the output (a number or a hyperparameter name).</summary>
    public object Dropout { get; set; } = 0.0;

    /// <summary>Whether position <c>t</c> may only attend to positions up to <c>t</c>.</summary>
    public bool Causal { get; set; }

    /// <summary>The tap keys and values come from (cross-attention), or <see langword="null"/> for self-attention.</summary>
    public string? Memory { get; set; }

    /// <summary>A <c>[B, S]</c> boolean tap, true at padded key positions, or <see langword="null"/>.</summary>
    public string? KeyPadding { get; set; }

    /// <summary>
    /// Whether queries and keys are rotated by their position (rotary embedding, Su et al. 2021), as LLaMA does: each
    /// head's pairs of features <c>(2i, 2i + 1)</c> turn by <c>t · RotaryBase^(−2i / headSize)</c> at position <c>t</c>.
    /// The head size must be even.
    /// </summary>
    public bool Rotary { get; set; }

    /// <summary>The base of the rotary frequencies (default 10000; LLaMA 3 uses 500000).</summary>
    public double RotaryBase { get; set; } = 10000;

    /// <summary>Whether the four projections add learned biases (default <see langword="true"/>; LLaMA has none).</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// Learned position embeddings added to the flowing value <c>[B, T, E]</c>: an <c>nn.Embedding(maxLength, E)</c>
/// looked up at positions <c>0..T-1</c>. <c>T</c> may not exceed <c>maxLength</c>.
/// </summary>
public sealed class PositionalEmbeddingAttribute(object maxLength) : LayerAttribute
{
    /// <summary>The longest sequence the model accepts.</summary>
    public object MaxLength { get; } = maxLength;
}

/// <summary>Adds the fixed sinusoidal position encodings of Vaswani et al. (2017) to <c>[B, T, E]</c>.</summary>
public sealed class SinusoidalEncodingAttribute : StepAttribute
{
}
