using ModelDsl.Weights;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>A tensor as a checkpoint stores it: raw little-endian bytes of a contiguous CPU tensor.</summary>
internal sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, byte[] Data)
{
    public TensorSignature Signature => new(Name, Shape, DType);

    /// <summary>Bytes per element, or 0 for dtypes a checkpoint does not store.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => 0,
    };
}
