using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Runtime.Tests.Isolation;
using ModelDsl.Training;
using Xunit;
using Xunit.Abstractions;
using ModelDsl.Runtime.Tests.Fuzz;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// Why a checkpoint's RNG state is checked before libtorch sees it, shown in child processes: libtorch's
/// <c>set_rng_state</c> refuses a bad state with a C++ exception that TorchSharp does not catch, and the process
/// aborts. The states the check refuses are those; the states it lets through never abort.
/// </summary>
public sealed class RngStateAbortTests(ITestOutputHelper log)
{
    private static byte[] GenuineState()
    {
        using var generator = new Generator(42);
        using var drawn = rand([3], generator: generator);
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    private static byte[] Edited(string edit)
    {
        var state = GenuineState();
        switch (edit)
        {
            case "all 0xFF": Array.Fill(state, (byte)0xFF); break;
            case "all 0x00": Array.Fill(state, (byte)0x00); break;
            case "left 0": BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), 0); break;
            case "left 625": BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), 625); break;
            case "next 625": BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(16), 625); break;
        }
        return state;
    }

    /// <summary>Unchecked, each of these states kills the process (exit 134, SIGABRT); the genuine one does not.</summary>
    [Theory]
    [InlineData("all 0xFF", ChildProcess.Aborted)]
    [InlineData("all 0x00", ChildProcess.Aborted)]
    [InlineData("left 0", ChildProcess.Aborted)]
    [InlineData("left 625", ChildProcess.Aborted)]
    [InlineData("next 625", ChildProcess.Aborted)]
    [InlineData("genuine", 0)]
    public void Unchecked_set_rng_state_aborts_on_the_states_the_check_refuses(string edit, int exitCode)
    {
        using var dir = new TempDirectory();
        var path = dir.File("state.bin");
        File.WriteAllBytes(path, Edited(edit));

        var (code, output) = ChildProcess.Run("set-rng-state", path);
        Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}:\n{output}");
        if (exitCode == ChildProcess.Aborted)
            Assert.Contains("c10::Error", output);
    }

    /// <summary>
    /// RNG states with their fields set to edge and random values (<see cref="FuzzSettings.Cases"/> of them, one in
    /// ten genuine), in checkpoints with a valid checksum, loaded by <see cref="Checkpoint"/> in a child process: the
    /// process always survives, every state is either restored or refused with an <see cref="InvalidDataException"/>,
    /// and the genuine ones are restored.
    /// </summary>
    [Fact]
    public void Checked_states_never_abort_libtorch()
    {
        using var dir = new TempDirectory();
        using var model = TestModels.Mlp(seed: 1);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, new CheckpointMetadata());
        var file = CheckpointFile.Parse(buffer.ToArray());
        var genuine = file.Rng!;

        var random = new Random(FuzzSettings.Seed);
        int[] edges = [int.MinValue, -1, 0, 1, 2, 311, 623, 624, 625, 626, 1000, int.MaxValue];
        var paths = new List<string>();
        for (var i = 0; i < FuzzSettings.Cases; i++)
        {
            var state = (byte[])genuine.Clone();
            if (i % 10 != 0)
            {
                // One to three fields: left @8, seeded @12, next @16 (8 bytes), a state word, the cached-normal flags.
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    var value = random.Next(3) == 0 ? random.Next() : edges[random.Next(edges.Length)];
                    switch (random.Next(6))
                    {
                        case 0: BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), value); break;
                        case 1: BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(12), value); break;
                        case 2: BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(16), random.Next(2) == 0 ? value : (long)value << 32); break;
                        case 3: state[24 + 8 * random.Next(624) + random.Next(8)] = (byte)random.Next(256); break;
                        case 4: BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(5040), value); break;
                        default: state[5052] = (byte)value; break;
                    }
                }
            }
            file.Rng = state;
            var path = dir.File($"{i:D6}.ckpt");
            File.WriteAllBytes(path, file.ToBytes());
            paths.Add(path);
        }

        var (code, output) = ChildProcess.Run("load-checkpoints", dir.Path);
        Assert.True(code == 0, $"the child process died (exit code {code}):\n{output}");
        var outcomes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(paths.Count, outcomes.Count);
        Assert.All(outcomes.Values, outcome => Assert.Contains(outcome, new[] { "restored", nameof(InvalidDataException) }));
        for (var i = 0; i < paths.Count; i += 10)
            Assert.Equal("restored", outcomes[$"{i:D6}.ckpt"]);
        Assert.Contains(nameof(InvalidDataException), outcomes.Values);
        log.WriteLine($"RNG state in a child process: {paths.Count:N0} inputs, " +
            string.Join(", ", outcomes.Values.GroupBy(o => o).OrderByDescending(g => g.Count()).Select(g => $"{g.Count():N0} {g.Key}")) + "; the process survived");
    }
}
