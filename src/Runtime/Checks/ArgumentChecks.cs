using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The element-type and device checks of generated <c>Forward</c> prologues, one per argument after its shape
/// check. The generator picks the check from the argument's first consumer: an <c>Embedding</c> reads token
/// indices, an attention layer's <c>KeyPadding</c> reads a boolean mask, every other layer reads values.
/// </summary>
public static class ArgumentChecks
{
    /// <summary>Values: a floating-point tensor of the model's parameter type, on the model's device.</summary>
    /// <exception cref="TensorArgumentException">It is not.</exception>
    public static void Values(nn.Module model, string modelName, string argument, Tensor value)
    {
        var reference = ReferenceParameter(model);
        if (!value.is_floating_point())
        {
            var expected = reference is null ? "a floating-point tensor" : Tensor(reference.dtype);
            throw new TensorArgumentException(modelName, argument, expected, Tensor(value.dtype),
                $"Convert it with {argument}.to(ScalarType.{(reference is null ? ScalarType.Float32 : reference.dtype)}).");
        }

        if (reference is null)
            return;
        if (value.dtype != reference.dtype)
        {
            throw new TensorArgumentException(modelName, argument, Tensor(reference.dtype) + " like the model's parameters", Tensor(value.dtype),
                $"Convert it with {argument}.to(ScalarType.{reference.dtype}), or the model with model.to(ScalarType.{value.dtype}).");
        }

        RequireDevice(modelName, argument, value, reference);
    }

    /// <summary>Token indices: an Int64 or Int32 tensor on the model's device.</summary>
    /// <exception cref="TensorArgumentException">It is not.</exception>
    public static void Indices(nn.Module model, string modelName, string argument, Tensor value)
    {
        if (value.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new TensorArgumentException(modelName, argument, "a tensor of token indices (Int64 or Int32)", Tensor(value.dtype),
                $"Convert it with {argument}.to(ScalarType.Int64).");
        }

        RequireDevice(modelName, argument, value, ReferenceParameter(model));
    }

    /// <summary>A mask: a Bool tensor on the model's device.</summary>
    /// <exception cref="TensorArgumentException">It is not.</exception>
    public static void Mask(nn.Module model, string modelName, string argument, Tensor value)
    {
        if (value.dtype != ScalarType.Bool)
        {
            throw new TensorArgumentException(modelName, argument, "a Bool mask (true at padded positions)", Tensor(value.dtype),
                $"Compare it, e.g. {argument} == 0, or convert it with {argument}.to(ScalarType.Bool).");
        }

        RequireDevice(modelName, argument, value, ReferenceParameter(model));
    }

    // "a Float32 tensor", "an Int64 tensor".
    private static string Tensor(ScalarType type)
    {
        var name = type.ToString();
        return ("AEIOU".Contains(name[0], System.StringComparison.Ordinal) ? "an " : "a ") + name + " tensor";
    }

    // The model's first parameter stands for its element type and device; a model without parameters has neither.
    private static Tensor? ReferenceParameter(nn.Module model) => model.parameters().FirstOrDefault();

    private static void RequireDevice(string modelName, string argument, Tensor value, Tensor? reference)
    {
        if (reference is null)
            return;
        if (value.device_type == reference.device_type && value.device_index == reference.device_index)
            return;
        throw new TensorArgumentException(modelName, argument, $"on {reference.device} like the model's parameters", $"on {value.device}",
            $"Move it with {argument}.to(torch.device(\"{reference.device}\")), or the model with model.to({argument}.device).");
    }
}
