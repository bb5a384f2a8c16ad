namespace ModelDsl;

/// <summary>
/// <c>nn.LSTM</c> with <c>batch_first=True</c>: <c>[B, T, in] → [B, T, hidden]</c> (twice as wide when
/// <see cref="Bidirectional"/>), the output of the last layer at every step. <c>in</c> is inferred. The state
/// <c>(h, c)</c>, each <c>[layers · directions, B, hidden]</c>, enters from the taps <see cref="InitialState"/> (zeros
/// when unset) and leaves as the taps <see cref="FinalState"/> names, so a model can carry it from batch to batch.
/// </summary>
/// <example><c>[LSTM("hidden", Layers = 2, InitialState = new[] { "h0", "c0" }, FinalState = new[] { "H", "C" })]</c></example>
public sealed class LSTMAttribute(object hiddenSize) : LayerAttribute
{
    /// <summary>The width of the hidden and cell states.</summary>
    public object HiddenSize { get; } = hiddenSize;

    /// <summary>Stacked layers (default 1).</summary>
    public object Layers { get; set; } = 1;

    /// <summary>Whether the layers add learned biases <c>bias_ih</c> and <c>bias_hh</c> (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Dropout on the outputs of every layer but the last, in training (a number or a hyperparameter name).</summary>
    public object Dropout { get; set; } = 0.0;

    /// <summary>Whether each layer also runs backwards over the sequence, its output concatenated to the forward one.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Two taps, the initial hidden and cell states <c>(h0, c0)</c>, or none to start from zeros.</summary>
    public string[] InitialState { get; set; } = [];

    /// <summary>Two names for the final hidden and cell states <c>(h_n, c_n)</c>, which become taps, or none.</summary>
    public string[] FinalState { get; set; } = [];
}

/// <summary>
/// <c>nn.GRU</c> with <c>batch_first=True</c>: <c>[B, T, in] → [B, T, hidden]</c> (twice as wide when
/// <see cref="Bidirectional"/>). Its one state <c>h</c>, <c>[layers · directions, B, hidden]</c>, enters from the tap
/// <see cref="InitialState"/> (zeros when unset) and leaves as the tap <see cref="FinalState"/> names.
/// </summary>
public sealed class GRUAttribute(object hiddenSize) : LayerAttribute
{
    /// <summary>The width of the hidden state.</summary>
    public object HiddenSize { get; } = hiddenSize;

    /// <summary>Stacked layers (default 1).</summary>
    public object Layers { get; set; } = 1;

    /// <summary>Whether the layers add learned biases <c>bias_ih</c> and <c>bias_hh</c> (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Dropout on the outputs of every layer but the last, in training (a number or a hyperparameter name).</summary>
    public object Dropout { get; set; } = 0.0;

    /// <summary>Whether each layer also runs backwards over the sequence, its output concatenated to the forward one.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>The tap holding the initial hidden state <c>h0</c>, or <see langword="null"/> to start from zeros.</summary>
    public string? InitialState { get; set; }

    /// <summary>The name of the final hidden state <c>h_n</c>, which becomes a tap, or <see langword="null"/>.</summary>
    public string? FinalState { get; set; }
}
