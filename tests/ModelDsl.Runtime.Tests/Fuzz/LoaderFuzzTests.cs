using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ModelDsl.Data;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Runtime.Tests.Models;
using ModelDsl.Runtime.Tests.Training;
using ModelDsl.Runtime.Tests.Weights;
using ModelDsl.Training;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Fuzz;

/// <summary>
/// Every loader against mutated copies of a valid file (<see cref="FuzzSettings.Cases"/> each, seeded): it either
/// loads exactly what the file says or throws one of its documented exceptions, naming the file, with its target
/// unchanged. About half of the damaged checkpoints and safetensors headers are resealed (checksum or length
/// recomputed), as a hand-crafted file would be. The RNG states among them are safe by construction; that no
/// checked state can abort libtorch is shown in a child process by <see cref="RngStateAbortTests"/>.
/// Run longer with <c>MODELDSL_FUZZ_CASES</c> and <c>MODELDSL_FUZZ_SEED</c> (docs/loading.md).
/// </summary>
public sealed partial class LoaderFuzzTests(ITestOutputHelper output) : OneThreadTests
{
    private const string CheckpointName = "fuzz.ckpt";
    private const string SafetensorsName = "fuzz.safetensors";

    private static void Finish(FuzzTally tally, ITestOutputHelper output)
    {
        output.WriteLine(tally.Summary());
        Assert.True(tally.Violations.Count == 0, tally.Summary());
        Assert.Equal(FuzzSettings.Cases, tally.Cases);
    }

    [Fact]
    public void Checkpoint_loading_holds_under_mutated_files()
    {
        byte[] original;
        using (var source = TestModels.Mlp(seed: 1))
        using (var adam = optim.Adam(source.parameters(), lr: 0.01))
        using (var buffer = new MemoryStream())
        {
            LoadTarget.Step(source, adam, steps: 2);
            Checkpoint.Write(buffer, source, new CheckpointMetadata { Step = 2, Seed = 1 }, adam);
            original = buffer.ToArray();
        }
        var layout = CheckpointFile.Parse(original);
        var optimizer = layout.Fields.Single(f => f.Name == "optimizer");
        var rng = layout.Fields.Single(f => f.Name == "rng");
        var targets = layout.Fields.Where(f => f.Length <= 8).Select(f => new FuzzTarget(f.Name, f.Offset, f.Length))
            .Concat(Enumerable.Range(0, 80).Select(k => new FuzzTarget($"optimizer byte {k}", optimizer.Offset + k, 1)))
            .Concat(new[] { 0, 8, 12, 16, 24, 5040, 5052 }.Select(k => new FuzzTarget($"rng byte {k}", rng.Offset + k, 1)))
            .ToList();

        var random = new Random(FuzzSettings.Seed);
        var mutator = new Mutator(random, targets);
        var tally = new FuzzTally("Checkpoint", CheckpointName, [typeof(InvalidDataException), typeof(CheckpointMismatchException), typeof(NotSupportedException)]);
        using var target = new LoadTarget(seed: 2);
        Checkpoint.Read(new MemoryStream(original), CheckpointName, target.Model, target.Optimizer); // JIT warm-up, not timed
        for (var i = 0; i < FuzzSettings.Cases; i++)
        {
            var (bytes, description) = mutator.Mutate(original);
            if (random.Next(2) == 0)
            {
                bytes = CheckpointFile.Reseal(bytes);
                description += ", checksum resealed";
            }
            var before = target.Capture();
            tally.Run($"case {i} (seed {FuzzSettings.Seed}): {description}",
                () => Checkpoint.Read(new MemoryStream(bytes), CheckpointName, target.Model, target.Optimizer),
                () => target.Capture().SameAs(before),
                () => LoadedAsStored(bytes, target));
        }
        Finish(tally, output);
    }

    // A checkpoint that loads puts exactly its bytes into the model: no conversion, no last copy winning.
    private static string? LoadedAsStored(byte[] bytes, LoadTarget target)
    {
        var stored = CheckpointFile.Parse(bytes).Tensors.ToDictionary(t => t.Name);
        foreach (var (name, tensor) in target.Model.state_dict())
        {
            if (!tensor.bytes.ToArray().AsSpan().SequenceEqual(stored[name].Data))
                return $"{name} does not hold the file's bytes";
        }
        return null;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_reading_holds_under_mutated_files(bool gzip)
    {
        var images = IdxReader.Read(MnistFiles.PathOf("t10k-images-idx3-ubyte.gz"), expectedRank: 3);
        byte[] original = [0, 0, 8, 3, 0, 0, 0, 40, 0, 0, 0, 28, 0, 0, 0, 28, .. images.Data.AsSpan(0, 40 * 28 * 28)];
        var targets = new List<FuzzTarget> { new("magic", 0, 4), new("element type", 2, 1), new("rank", 3, 1), new("count", 4, 4), new("height", 8, 4), new("width", 12, 4) };
        var compressedOriginal = Gzip(original);
        var compressedTargets = new List<FuzzTarget> { new("gzip flags", 3, 1), new("gzip method", 2, 1), new("gzip mtime", 4, 4), new("crc", compressedOriginal.Length - 8, 4), new("isize", compressedOriginal.Length - 4, 4) };

        var random = new Random(FuzzSettings.Seed);
        var mutator = new Mutator(random, targets);
        var compressedMutator = new Mutator(random, compressedTargets);
        var name = gzip ? "fuzz-images-idx3-ubyte.gz" : "fuzz-images-idx3-ubyte";
        var tally = new FuzzTally(gzip ? "IDX (gzip)" : "IDX (raw)", name, [typeof(InvalidDataException)]);
        using var dir = new TempDirectory();
        var path = dir.File(name);
        File.WriteAllBytes(path, gzip ? compressedOriginal : original);
        IdxReader.Read(path); // JIT warm-up, not timed
        for (var i = 0; i < FuzzSettings.Cases; i++)
        {
            // Half the gzip files are valid gzip around damaged IDX, half are damaged gzip around the valid file.
            byte[] bytes, content;
            string description;
            if (gzip && random.Next(2) == 0)
            {
                (bytes, description) = compressedMutator.Mutate(compressedOriginal);
                content = original;
            }
            else
            {
                (content, description) = mutator.Mutate(original);
                bytes = gzip ? Gzip(content) : content;
            }
            File.WriteAllBytes(path, bytes);
            IdxData? data = null;
            tally.Run($"case {i} (seed {FuzzSettings.Seed}): {description}", () => data = IdxReader.Read(path), () => true,
                () => LoadedAsStored(content, data!));
        }
        Finish(tally, output);
    }

    // An IDX file that loads has exactly its header's dimensions and the bytes after the header.
    private static string? LoadedAsStored(byte[] file, IdxData data)
    {
        if (data.Data.LongLength != data.Dimensions.Aggregate(1L, (a, d) => a * d))
            return "its payload does not match its dimensions";
        return data.Data.AsSpan().SequenceEqual(file.AsSpan(4 + 4 * data.Dimensions.Count)) ? null : "its payload is not the file's bytes";
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(bytes);
        return buffer.ToArray();
    }

    private static readonly string[] JsonTokens =
        ["\"\\ud800\"", "\"\\udc00x\"", "-1", "1e400", "18446744073709551615", "9223372036854775807", "null", "[]", "{}", "[1, 2]", "\"F64\"", "\"I32\"", "\"F8_E4M3\"", "\"X9\"", "\"__metadata__\"", "0", "true", "\"\""];

    [Fact]
    public void Safetensors_loading_holds_under_mutated_files()
    {
        byte[] original;
        using (var source = TestModels.Mlp(seed: 1))
        using (var buffer = new MemoryStream())
        {
            SafetensorsFile.Write(buffer, source);
            original = buffer.ToArray();
        }
        var headerLength = (int)BitConverter.ToUInt64(original);
        var json = Encoding.UTF8.GetString(original, 8, headerLength);
        var tokens = JsonToken().Matches(json).Select(m => (m.Index, m.Length)).ToList();
        var targets = new List<FuzzTarget> { new("header length", 0, 8) };
        targets.AddRange(tokens.Select(t => new FuzzTarget($"JSON at {t.Index}", 8 + t.Index, 1)));

        var random = new Random(FuzzSettings.Seed);
        var mutator = new Mutator(random, targets);
        var tally = new FuzzTally("Safetensors", SafetensorsName, [typeof(InvalidDataException), typeof(NotSupportedException), typeof(StateDictMismatchException)]);
        using var model = TestModels.Mlp(seed: 2);
        SafetensorsFile.Read(new MemoryStream(original), SafetensorsName, model); // JIT warm-up, not timed
        for (var i = 0; i < FuzzSettings.Cases; i++)
        {
            byte[] bytes;
            string description;
            if (random.Next(2) == 0)
            {
                // A hand-edited header: one JSON token replaced, the length prefix made to match.
                var (index, length) = tokens[random.Next(tokens.Count)];
                var replacement = JsonTokens[random.Next(JsonTokens.Length)];
                var edited = Encoding.UTF8.GetBytes(json[..index] + replacement + json[(index + length)..]);
                bytes = [.. BitConverter.GetBytes((ulong)edited.Length), .. edited, .. original.AsSpan(8 + headerLength)];
                description = $"JSON token at {index} replaced by {replacement}, length prefix fixed";
            }
            else
            {
                (bytes, description) = mutator.Mutate(original);
            }
            var before = TestModels.Snapshot(model);
            tally.Run($"case {i} (seed {FuzzSettings.Seed}): {description}",
                () => SafetensorsFile.Read(new MemoryStream(bytes), SafetensorsName, model),
                () => TestModels.Snapshot(model).Zip(before).All(p => p.First.AsSpan().SequenceEqual(p.Second)),
                () => LoadedAsStored(bytes, model));
        }
        Finish(tally, output);
    }

    private static string? LoadedAsStored(byte[] bytes, nn.Module model)
    {
        var file = SafetensorsLayout.Parse(bytes);
        foreach (var (name, tensor) in model.state_dict())
        {
            if (!tensor.bytes.ToArray().AsSpan().SequenceEqual(file.Bytes(name)))
                return $"{name} does not hold the file's bytes";
        }
        return null;
    }

    [GeneratedRegex("\"[^\"]*\"|-?[0-9]+")]
    private static partial Regex JsonToken();
}
