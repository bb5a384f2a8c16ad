using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using ModelDsl.IO;
using ModelDsl.Weights;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Saves and restores a training run: the model's state dict, the optimizer's state, libtorch's CPU RNG state
/// and <see cref="CheckpointMetadata"/>, in one checksummed file (see <c>CheckpointFormat</c>).
/// Saving is atomic (<see cref="AtomicFile"/>); loading is all or nothing: it checks the whole file, and its fit to
/// the model, optimizer and libtorch, before changing anything.
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically: the previous file survives any failure.</summary>
    /// <exception cref="NotSupportedException">The optimizer is not one whose state a checkpoint can hold and check on loading.</exception>
    /// <param name="path">The checkpoint file; <c>path.tmp</c> is used while writing.</param>
    /// <param name="model">Its parameters and persistent buffers are saved, by state-dict name.</param>
    /// <param name="metadata">Step, seed, loss history and free-form properties.</param>
    /// <param name="optimizer">When given, its state (moments, step counts, learning rates) is saved too.</param>
    public static void Save(string path, nn.Module model, CheckpointMetadata metadata, OptimizerHelper? optimizer = null) =>
        AtomicFile.Write(path, stream => Write(stream, model, metadata, optimizer));

    /// <summary>Writes a checkpoint to <paramref name="stream"/> (not atomic by itself; see <see cref="Save"/>).</summary>
    /// <exception cref="NotSupportedException">The optimizer is not one whose state a checkpoint can hold and check on loading.</exception>
    public static void Write(Stream stream, nn.Module model, CheckpointMetadata metadata, OptimizerHelper? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        if (optimizer is not null && !OptimizerStateFormat.IsSupported(optimizer))
            throw new NotSupportedException(
                $"A checkpoint cannot hold the state of a {TypeName(optimizer)}: it holds, and checks on loading, that of {OptimizerStateFormat.SupportedNames}.");
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
    /// Loads a checkpoint into <paramref name="model"/> (and <paramref name="optimizer"/>, and libtorch's CPU generator),
    /// all or nothing: the whole file is read, checksummed and checked against the model's names, shapes, dtypes and
    /// tied weights, the optimizer state against the optimizer and the RNG state against libtorch, before anything is
    /// changed. After any exception the model, the optimizer and the generator are as they were, bit for bit.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">A model of the saved type; its tensors are overwritten in place (they keep their device).</param>
    /// <param name="optimizer">When given and the file has optimizer state, that state is restored.</param>
    /// <param name="restoreRngState">Restores libtorch's CPU generator, so that a resumed run draws what the original would have.</param>
    /// <returns>What the file holds, including the saved <see cref="CheckpointMetadata"/>.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, forged or not a checkpoint.</exception>
    /// <exception cref="CheckpointMismatchException">The file is of another model (or optimizer).</exception>
    /// <exception cref="NotSupportedException">
    /// The optimizer is not one whose state a checkpoint holds, or this libtorch's RNG state has a layout that cannot be checked.
    /// </exception>
    public static CheckpointInfo Load(string path, nn.Module model, OptimizerHelper? optimizer = null, bool restoreRngState = true)
    {
        using var stream = InputFile.OpenRead(path, "a checkpoint");
        return Read(stream, Path.GetFileName(path), model, optimizer, restoreRngState);
    }

    /// <summary>As <see cref="Load"/>, from a stream; <paramref name="name"/> names it in messages.</summary>
    public static CheckpointInfo Read(Stream stream, string name, nn.Module model, OptimizerHelper? optimizer = null, bool restoreRngState = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        var contents = CheckpointFormat.Read(stream, name);
        var state = model.state_dict();
        CheckFit(name, contents, model, state, optimizer);
        var optimizerState = optimizer is null ? null : contents.OptimizerState;
        if (optimizerState is not null)
            OptimizerStateFormat.Check(optimizerState, optimizer!, name);
        var rngState = restoreRngState ? contents.RngState : null;
        if (rngState is not null)
            RngState.Check(rngState, name);

        // Everything that could refuse the load has been checked: from here on, only copies.
        if (optimizerState is not null)
            LoadOptimizer(name, optimizer!, optimizerState);
        using (no_grad())
        {
            foreach (var stored in contents.Tensors)
            {
                using var source = ToTensor(stored.DType, stored.Shape, stored.Data);
                state[stored.Name].copy_(source);
            }
        }
        if (rngState is not null)
            RngState.Restore(rngState);
        return Describe(contents);
    }

    /// <summary>Reads and verifies a checkpoint file without loading it into anything.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, forged or not a checkpoint.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var stream = InputFile.OpenRead(path, "a checkpoint");
        return Describe(CheckpointFormat.Read(stream, Path.GetFileName(path)));
    }

    // The file against the model: type, names, shapes, dtypes, the values of tied entries, and the optimizer's type and shapes.
    private static void CheckFit(string name, CheckpointContents contents, nn.Module model, Dictionary<string, Tensor> state, OptimizerHelper? optimizer)
    {
        var expected = state.Select(kv => new TensorSignature(kv.Key, kv.Value.shape, kv.Value.dtype)).ToList();
        var found = contents.Tensors.Select(t => t.Signature).ToList();
        var (missing, unexpected, wrongShape) = ModelSignature.Compare(Untyped(expected), Untyped(found));
        var wrongDType = ModelSignature.CompareDTypes(expected, found);
        var conflicting = ConflictingTies(state, contents.Tensors);
        var modelType = TypeName(model);
        var typeMismatch = contents.Header.ModelType == modelType
            ? null
            : $"saved from a {contents.Header.ModelType}, loading into a {modelType}";
        if (typeMismatch is not null || missing.Count + unexpected.Count + wrongShape.Count + wrongDType.Count + conflicting.Count > 0)
            throw new CheckpointMismatchException(name, typeMismatch, missing, unexpected, wrongShape, wrongDType, conflicting);

        if (optimizer is not null && contents.OptimizerState is not null)
            CheckOptimizerFit(name, contents.Header, optimizer);
    }

    private static List<TensorSignature> Untyped(IEnumerable<TensorSignature> signatures) =>
        signatures.Select(s => s with { DType = null }).ToList();

    // A tied tensor (the GPT's lm_head.weight, which is wte.weight) is saved once per name; the copies must agree,
    // or the last one copied would silently win.
    private static List<string> ConflictingTies(Dictionary<string, Tensor> state, IReadOnlyList<StoredTensor> tensors)
    {
        var stored = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var conflicts = new List<string>();
        foreach (var group in TiedEntries.Of(state))
        {
            var copies = group.Where(stored.ContainsKey).Select(n => stored[n]).ToList();
            if (copies.Count > 1 && copies.Skip(1).Any(c => c.DType != copies[0].DType || !c.Shape.SequenceEqual(copies[0].Shape) || !c.Data.AsSpan().SequenceEqual(copies[0].Data)))
                conflicts.Add($"{string.Join(" = ", copies.Select(c => c.Name))}: one tensor in the model, different values in the checkpoint");
        }
        return conflicts;
    }

    private static void CheckOptimizerFit(string name, CheckpointHeader header, OptimizerHelper optimizer)
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

    // OptimizerStateFormat.Check has passed, so TorchSharp reads the state to its end. Should it refuse anyway, the
    // optimizer's own state, taken just before, is put back: nothing has been changed yet.
    private static void LoadOptimizer(string name, OptimizerHelper optimizer, byte[] blob)
    {
        var before = Capture(optimizer);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.UTF8);
            optimizer.load_state_dict(reader);
            if (reader.BaseStream.Position != blob.Length)
                throw new InvalidDataException($"{blob.Length - reader.BaseStream.Position:N0} bytes were left unread");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            using (var reader = new BinaryReader(new MemoryStream(before, writable: false), Encoding.UTF8))
                optimizer.load_state_dict(reader);
            throw new InvalidDataException($"{name}: TorchSharp could not read the optimizer state ({e.Message}); nothing was changed", e);
        }
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
