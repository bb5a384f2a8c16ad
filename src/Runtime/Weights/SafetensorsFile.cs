using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ModelDsl.IO;
using TorchSharp;
using static TorchSharp.torch;
using PyBridgeSafetensors = TorchSharp.PyBridge.Safetensors;

namespace ModelDsl.Weights;

/// <summary>
/// Saves and loads a model's weights as a safetensors file (https://github.com/huggingface/safetensors), keyed by
/// state-dict name, so that PyTorch reads it with <c>safetensors.torch.load_file</c> and <c>load_state_dict</c>.
/// The tensors are written and read by TorchSharp.PyBridge; the header is checked here first, so a truncated or
/// corrupt file is a clear error and a file of another model changes nothing.
/// </summary>
/// <remarks>
/// <para>
/// Every state-dict entry is written under its own name, tied ones included: the GPT's <c>lm_head.weight</c>
/// and <c>wte.weight</c> are one tensor in the model and two copies of the same bytes in the file, because
/// PyTorch's <c>load_state_dict</c> (strict by default) expects every name of its own <c>state_dict()</c>, and
/// safetensors cannot store two names over one range of bytes.
/// </para>
/// <para>
/// Loading accepts that layout and also the one of PyTorch's <c>safetensors.torch.save_model</c>, which keeps one
/// name per shared tensor (for the GPT, <c>lm_head.weight</c>) and drops the others: a tied tensor needs one of its
/// names. When several are present their values must agree. The file's <c>__metadata__</c> is not used.
/// </para>
/// <para>
/// The format has no checksum: a flipped bit inside the tensor data cannot be detected, only damage to the header
/// or to the file's length.
/// </para>
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>Writes the weights of <paramref name="model"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The file; <c>path.tmp</c> is used while writing.</param>
    /// <param name="model">Its parameters and persistent buffers are saved, by state-dict name, as contiguous CPU copies.</param>
    /// <exception cref="NotSupportedException">A tensor has a dtype the format cannot hold here (complex, for example).</exception>
    public static void Save(string path, nn.Module model) =>
        AtomicFile.Write(path, stream => Write(stream, model));

    /// <summary>Writes the weights of <paramref name="model"/> to <paramref name="stream"/>, which is left open.</summary>
    /// <exception cref="NotSupportedException">A tensor has a dtype the format cannot hold here (complex, for example).</exception>
    public static void Write(Stream stream, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.state_dict())
        {
            if (SafetensorsDType.NameOf(tensor.dtype) is null)
                throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.dtype}; a safetensors file holds {SafetensorsDType.SupportedNames}.");
            state[name] = tensor.detach().cpu().contiguous();
        }
        PyBridgeSafetensors.SaveStateDict(stream, state, leaveOpen: true);
    }

    /// <summary>
    /// Loads the weights in <paramref name="path"/> into <paramref name="model"/>, after checking that the file is
    /// intact and has exactly the model's state-dict names, shapes and dtypes.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="model">Its tensors are overwritten in place (they keep their device).</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a safetensors file; nothing was changed.</exception>
    /// <exception cref="NotSupportedException">A tensor has a dtype (such as F8_E4M3) that TorchSharp cannot hold; nothing was changed.</exception>
    /// <exception cref="StateDictMismatchException">
    /// The file does not fit the model: every missing, unexpected, wrongly shaped or typed entry is listed, and nothing was changed.
    /// </exception>
    public static void Load(string path, nn.Module model)
    {
        using var stream = InputFile.OpenRead(path, "a safetensors");
        Read(stream, Path.GetFileName(path), model);
    }

    /// <summary>As <see cref="Load"/>, from a seekable stream positioned at the file's start; <paramref name="name"/> names it in messages.</summary>
    public static void Read(Stream stream, string name, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        if (!stream.CanSeek)
            throw new ArgumentException("The stream must be seekable: the tensors are read by their offsets.", nameof(stream));

        var start = stream.Position;
        var header = SafetensorsHeader.Read(stream, name);
        var check = new StateDictCheck(model);
        // Names, shapes and dtypes are known from the header: refuse a file of another model before reading its data.
        check.ThrowIfMismatched(header.Signature, name, "file");

        stream.Position = start;
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> state;
        try
        {
            state = PyBridgeSafetensors.LoadStateDict(stream, leaveOpen: true);
        }
        catch (EndOfStreamException)
        {
            // The header was checked against the length; only a file that changed while being read gets here.
            throw new InvalidDataException($"{name}: the file ended while its tensors were being read");
        }
        catch (JsonException e)
        {
            // A valid header that PyBridge's reader cannot take: it reads __metadata__ as if it were a tensor, so a
            // metadata key "shape" or "data_offsets" (free-form strings to the format) defeats it.
            throw new NotSupportedException($"{name}: TorchSharp.PyBridge cannot read this header ({e.Message})", e);
        }
        StateDict.Load(state, check, name, "file");
    }

    /// <summary>The names, shapes and dtypes in a safetensors file, in its header's order, without reading the tensors.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a safetensors file.</exception>
    public static IReadOnlyList<TensorSignature> ReadSignature(string path)
    {
        using var stream = InputFile.OpenRead(path, "a safetensors");
        return SafetensorsHeader.Read(stream, Path.GetFileName(path)).Signature;
    }
}
