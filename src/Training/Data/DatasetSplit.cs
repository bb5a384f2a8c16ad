namespace ModelDsl.Data;

/// <summary>Which half of an MNIST-style dataset to load.</summary>
public enum DatasetSplit
{
    /// <summary>The training files, <c>train-images-idx3-ubyte</c> / <c>train-labels-idx1-ubyte</c>.</summary>
    Train,

    /// <summary>The test files, <c>t10k-images-idx3-ubyte</c> / <c>t10k-labels-idx1-ubyte</c>.</summary>
    Test,
}
