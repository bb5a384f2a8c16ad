using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// The state-dict names that are one tensor in a model: a tied weight such as the GPT's <c>lm_head.weight</c>, which
/// is <c>wte.weight</c>. PyTorch lists such a tensor under every name in <c>state_dict()</c>, and so does TorchSharp.
/// </summary>
internal static class TiedEntries
{
    /// <summary>Each group of two or more names whose tensors are the same memory, names in state-dict order.</summary>
    /// <remarks>
    /// Two entries are one tensor when they have the same storage, offset, shape, strides and dtype. TorchSharp's
    /// <c>Storage&lt;T&gt;</c> has no element type for float16, bfloat16, int8 or int16, so tensors of those dtypes are
    /// never grouped (a tied model in those dtypes cannot be made with TorchSharp 0.107 anyway: <c>Module.to</c> breaks
    /// the tie). Empty tensors are never grouped, as in PyTorch's safetensors.
    /// </remarks>
    public static IReadOnlyList<IReadOnlyList<string>> Of(IReadOnlyDictionary<string, Tensor> state)
    {
        using var scope = NewDisposeScope();
        var groups = new Dictionary<string, List<string>>();
        foreach (var (name, tensor) in state)
        {
            var identity = Identity(tensor);
            if (identity is null)
                continue;
            if (!groups.TryGetValue(identity, out var names))
                groups[identity] = names = [];
            names.Add(name);
        }
        return groups.Values.Where(names => names.Count > 1).ToList();
    }

    private static string? Identity(Tensor tensor)
    {
        if (tensor.numel() == 0)
            return null;
        nint? storage = tensor.dtype switch
        {
            ScalarType.Float32 => tensor.storage<float>().data_ptr(),
            ScalarType.Float64 => tensor.storage<double>().data_ptr(),
            ScalarType.Int64 => tensor.storage<long>().data_ptr(),
            ScalarType.Int32 => tensor.storage<int>().data_ptr(),
            ScalarType.Byte => tensor.storage<byte>().data_ptr(),
            ScalarType.Bool => tensor.storage<bool>().data_ptr(),
            _ => null,
        };
        if (storage is null or 0)
            return null;
        return $"{tensor.device}|{(long)storage.Value:X}|{tensor.storage_offset()}|{tensor.dtype}|{string.Join(",", tensor.shape)}|{string.Join(",", tensor.stride())}";
    }
}
