namespace ModelDsl.Data;

/// <summary>How byte pixels 0–255 become floats.</summary>
public enum PixelScaling
{
    /// <summary>To [0, 1] (classifiers; sigmoid outputs).</summary>
    ZeroToOne,

    /// <summary>To [-1, 1] (GAN generators with a tanh output).</summary>
    MinusOneToOne,
}
