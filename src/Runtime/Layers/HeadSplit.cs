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

    /// <summary>Throws unless each head's size is even (rotary embedding turns pairs of features) and the base exceeds 1.</summary>
    /// <exception cref="ShapeMismatchException">It is not; the message names <paramref name="layer"/>.</exception>
    public static void CheckRotary(string layer, long embed, long heads, double rotaryBase)
    {
        if (embed / heads % 2 != 0)
            throw new ShapeMismatchException(layer, $"rotary embedding needs an even head size, not embed / heads = {embed} / {heads} = {embed / heads}");
        if (!(rotaryBase > 1))
            throw new ShapeMismatchException(layer, $"the rotary base ({rotaryBase}) must exceed 1");
    }
}
