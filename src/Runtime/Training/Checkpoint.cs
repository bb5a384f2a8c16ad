using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Saves and restores a training run: the model's state dict, the optimizer's state, libtorch's CPU RNG state
/// and <see cref="CheckpointMetadata"/>, in one checksummed file (see <c>CheckpointFormat</c>).
/// Saving is atomic (<see cref="AtomicFile"/>); loading validates the whole file and its fit to the model
/// before changing anything.
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically: the previous file survives any failure.</summary>
    /// <param name="path">The checkpoint file; <c>path.tmp</c> is used while writing.</param>
    /// <param name="model">Its parameters and persistent buffers are saved, by state-dict name.</param>
    /// <param name="metadata">Step, seed, loss history and free-form properties.</param>
    /// <param name="optimizer">When given, its state (moments, step counts, learning rates) is saved too.</param>
    public static void Save(string path, nn.Module model, CheckpointMetadata metadata, OptimizerHelper? optimizer = null) =>
        AtomicFile.Write(path, stream => Write(stream, model, metadata, optimizer));

    /// <summary>Writes a checkpoint to <paramref name="stream"/> (not atomic by itself; see <see cref="Save"/>).</summary>
    public static void Write(Stream stream, nn.Module model, CheckpointMetadata metadata, OptimizerHelper? optimizer = null)
    {
        var header = new CheckpointHeader
        {
            ModelType = TypeName(model),
            Step = metadata.Step,
            Seed = metadata.Seed,
            LossHistory = metadata.LossHistory.ToList(),
            Properties = metadata.Properties.ToDictionary(kv => kv.Key, kv => kv.Value),
            OptimizerType = optimizer is null ? null : TypeName(optimizer),
            OptimizerParameterShapes = optimizer?.parameters().Select(p => p.shape).ToList(),
        };
        var contents = new CheckpointContents(header, Capture(model), optimizer is null ? null : Capture(optimizer), CaptureRng());
        CheckpointFormat.Write(stream, contents);
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/> (and <paramref name="optimizer"/>), after checking that the
    /// file is intact and that its entries match the model's names and shapes exactly.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">A model of the saved type; its tensors are overwritten in place (device and dtype kept).</param>
    /// <param name="optimizer">When given and the file has optimizer state, that state is restored.</param>
    /// <param name="restoreRngState">Restores libtorch's CPU generator, so that a resumed run draws what the original would have.</param>
    /// <returns>What the file holds, including the saved <see cref="CheckpointMetadata"/>.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a checkpoint.</exception>
    /// <exception cref="CheckpointMismatchException">The file is of another model (or optimizer); nothing was changed.</exception>
    public static CheckpointInfo Load(string path, nn.Module model, OptimizerHelper? optimizer = null, bool restoreRngState = true)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), model, optimizer, restoreRngState);
    }

    /// <summary>As <see cref="Load"/>, from a stream; <paramref name="name"/> names it in messages.</summary>
    public static CheckpointInfo Read(Stream stream, string name, nn.Module model, OptimizerHelper? optimizer = null, bool restoreRngState = true)
    {
        var contents = CheckpointFormat.Read(stream, name);
        var state = model.state_dict();
        Validate(name, contents, model, state, optimizer);

        using (no_grad())
        {
            foreach (var stored in contents.Tensors)
            {
                using var source = ToTensor(stored.DType, stored.Shape, stored.Data);
                state[stored.Name].copy_(source);
            }
        }
        if (optimizer is not null && contents.OptimizerState is not null)
        {
            using var reader = new BinaryReader(new MemoryStream(contents.OptimizerState), Encoding.UTF8);
            optimizer.load_state_dict(reader);
        }
        if (restoreRngState && contents.RngState is not null)
        {
            using var rng = ToTensor(ScalarType.Byte, [contents.RngState.Length], contents.RngState);
            random.set_rng_state(rng);
        }
        return Describe(contents);
    }

    /// <summary>Reads and verifies a checkpoint file without loading it into anything.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a checkpoint.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var stream = File.OpenRead(path);
        return Describe(CheckpointFormat.Read(stream, Path.GetFileName(path)));
    }

    // Everything that could refuse the load is checked here, before the first tensor is written.
    private static void Validate(string name, CheckpointContents contents, nn.Module model, Dictionary<string, Tensor> state, OptimizerHelper? optimizer)
    {
        var expected = state.Select(kv => new TensorSignature(kv.Key, kv.Value.shape)).ToList();
        var (missing, unexpected, wrongShape) = ModelSignature.Compare(expected, contents.Tensors.Select(t => t.Signature).ToList());
        var modelType = TypeName(model);
        var typeMismatch = contents.Header.ModelType == modelType
            ? null
            : $"saved from a {contents.Header.ModelType}, loading into a {modelType}";
        if (typeMismatch is not null || missing.Count + unexpected.Count + wrongShape.Count > 0)
            throw new CheckpointMismatchException(name, typeMismatch, missing, unexpected, wrongShape);

        if (optimizer is not null && contents.OptimizerState is not null)
            ValidateOptimizer(name, contents.Header, optimizer);

        if (contents.RngState is not null)
        {
            using var current = random.get_rng_state();
            if (current.numel() != contents.RngState.Length)
                throw new InvalidDataException($"{name}: the saved RNG state has {contents.RngState.Length} bytes but this libtorch's has {current.numel()}.");
        }
    }

    private static void ValidateOptimizer(string name, CheckpointHeader header, OptimizerHelper optimizer)
    {
        var type = TypeName(optimizer);
        if (header.OptimizerType != type)
            throw new CheckpointMismatchException(name, $"its optimizer state is for a {header.OptimizerType}, not a {type}", [], [], []);
        var saved = header.OptimizerParameterShapes ?? [];
        var current = optimizer.parameters().Select(p => p.shape).ToList();
        var wrong = Enumerable.Range(0, Math.Max(saved.Count, current.Count))
            .Where(i => i >= saved.Count || i >= current.Count || !saved[i].SequenceEqual(current[i]))
            .Select(i => $"optimizer parameter #{i}: optimizer {Shape(current, i)}, checkpoint {Shape(saved, i)}")
            .ToList();
        if (wrong.Count > 0)
            throw new CheckpointMismatchException(name, null, [], [], wrong);
    }

    private static string Shape(IReadOnlyList<long[]> shapes, int i) =>
        i < shapes.Count ? $"[{string.Join(", ", shapes[i])}]" : "(none)";

    private static List<StoredTensor> Capture(nn.Module model) =>
        model.state_dict().Select(kv => Capture(kv.Key, kv.Value)).ToList();

    private static StoredTensor Capture(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        if (StoredTensor.ElementSize(cpu.dtype) == 0)
            throw new NotSupportedException($"Tensor '{name}' has dtype {cpu.dtype}, which a checkpoint cannot store.");
        var data = cpu.numel() == 0 ? [] : cpu.bytes.ToArray();
        return new StoredTensor(name, cpu.dtype, cpu.shape, data);
    }

    private static byte[] Capture(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return buffer.ToArray();
    }

    private static byte[] CaptureRng()
    {
        using var state = random.get_rng_state();
        return state.bytes.ToArray();
    }

    private static Tensor ToTensor(ScalarType dtype, long[] shape, byte[] data)
    {
        var result = empty(shape, dtype);
        if (data.Length > 0)
            result.bytes = data;
        return result;
    }

    private static CheckpointInfo Describe(CheckpointContents contents)
    {
        var header = contents.Header;
        var metadata = new CheckpointMetadata
        {
            Step = header.Step,
            Seed = header.Seed,
            // A hand-edited header may say null; absent means empty.
            LossHistory = header.LossHistory ?? [],
            Properties = header.Properties ?? [],
        };
        return new CheckpointInfo(metadata, header.ModelType, contents.Tensors.Select(t => t.Signature).ToList(), header.OptimizerType, contents.RngState is not null);
    }

    private static string TypeName(object o) => o.GetType().FullName ?? o.GetType().Name;
}
