namespace ModelDsl.Layers;

/// <summary>The width rules every multi-head attention layer shares.</summary>
internal static class HeadSplit
{
    /// <summary>Throws unless <paramref name="embed"/> is positive and splits evenly into <paramref name="heads"/> heads.</summary>
    /// <exception cref="ShapeMismatchException">It does not; the message names <paramref name="layer"/>.</exception>
    public static void Check(string layer, long embed, long heads)
    {
        // Checked here: nn.Linear would reject a non-positive width only inside libtorch, without naming it.
        if (embed <= 0)
            throw new ShapeMismatchException(layer, $"embed ({embed}) must be positive");
        if (heads <= 0 || embed % heads != 0)
            throw new ShapeMismatchException(layer, $"embed ({embed}) must be a positive multiple of heads ({heads})");
    }
}
