using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// Karpathy's char-rnn: characters embedded, a stack of LSTM layers with dropout between them and after the last,
/// and a linear layer to next-character logits. The LSTM's state <c>(h, c)</c> goes in and comes out, so training can
/// carry it from one chunk of text to the next and sampling from one character to the next.
/// </summary>
[Model]
public sealed partial class CharRnn
{
    /// <summary>A char-rnn over <paramref name="vocab"/> characters with <paramref name="layers"/> LSTM layers of <paramref name="hidden"/>.</summary>
    public partial CharRnn(int vocab, int hidden, int layers, double dropout);

    [Embedding("vocab", "hidden")]
    partial Embedding Embedding { get; }

    [LSTM("hidden", Layers = "layers", Dropout = "dropout", InitialState = new[] { "h0", "c0" }, FinalState = new[] { "Hidden", "Cell" }), Dropout("dropout")]
    partial LSTM Rnn { get; }

    [Linear("vocab")]
    partial Linear Logits { get; }

    /// <summary>Logits for the next character at every position, and the LSTM's final state.</summary>
    [return: Shape("B", "T", "vocab"), Shape("layers", "B", "hidden"), Shape("layers", "B", "hidden")]
    public partial (Tensor Logits, Tensor Hidden, Tensor Cell) Forward(
        [Shape("B", "T")] Tensor tokens,
        [Shape("layers", "B", "hidden")] Tensor h0,
        [Shape("layers", "B", "hidden")] Tensor c0);
}
