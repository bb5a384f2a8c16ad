namespace ModelDsl;

/// <summary>
/// Cuts the value into equal parts along <see cref="Dim"/> and names each part, one name per part: later steps
/// and members read them as taps (<c>[Input("logVar")]</c>), and <c>Forward</c> may return them. A member ends at
/// its split: the next member starts with <see cref="InputAttribute"/>.
/// </summary>
/// <example><c>[Linear("2 * latent"), Chunk("mu", "logVar")]</c> gives two taps of width <c>latent</c>.</example>
public sealed class ChunkAttribute(params string[] into) : StepAttribute
{
    /// <summary>The names of the parts, in order; their number is the number of parts.</summary>
    public string[] Into { get; } = into;

    /// <summary>The dimension cut (default the last); negative counts from the end.</summary>
    public int Dim { get; set; } = -1;
}

/// <summary>
/// Cuts the value into parts of the given <see cref="Sizes"/> along <see cref="Dim"/>, as <c>torch.split</c>, and names
/// each part (see <see cref="ChunkAttribute"/>). The sizes must add up to the dimension's size.
/// </summary>
/// <example><c>[Split("q", "kv", Sizes = new object[] { "embed", "2 * embed" })]</c></example>
public sealed class SplitAttribute(params string[] into) : StepAttribute
{
    /// <summary>The names of the parts, in order.</summary>
    public string[] Into { get; } = into;

    /// <summary>The size of each part: integers or hyperparameter expressions, one per name.</summary>
    public object[] Sizes { get; set; } = [];

    /// <summary>The dimension cut (default the last); negative counts from the end.</summary>
    public int Dim { get; set; } = -1;
}
