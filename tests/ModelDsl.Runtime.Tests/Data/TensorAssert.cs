using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>Whole-tensor equality: TorchSharp's <c>Tensor.equal</c> is element-wise, unlike PyTorch's <c>torch.equal</c>.</summary>
internal static class TensorAssert
{
    public static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype)
            return false;
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }
}
