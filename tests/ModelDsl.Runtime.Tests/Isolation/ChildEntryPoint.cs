using System;
using System.IO;
using System.Linq;
using ModelDsl.Runtime.Tests.Training;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Isolation;

/// <summary>
/// The test assembly's entry point (the project sets <c>GenerateProgramFile</c> to false), used only by
/// <see cref="ChildProcess"/>:
/// <list type="bullet">
/// <item><c>set-rng-state FILE…</c> hands each file's bytes to libtorch's <c>set_rng_state</c> unchecked, as a
/// loader without a check would, and prints a line after each one survives;</item>
/// <item><c>load-checkpoints FOLDER</c> loads each checkpoint in the folder, RNG state included, into the test MLP
/// and prints its name and <c>restored</c> or the exception's type, so that a check with a hole kills this
/// process, not the test run.</item>
/// </list>
/// </summary>
public static class ChildEntryPoint
{
    /// <summary>Exit codes: 0 done, 2 unknown command; a state that libtorch refuses aborts the process (134).</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0)
            return 0;
        switch (args[0])
        {
            case "set-rng-state":
                foreach (var path in args[1..])
                {
                    var bytes = File.ReadAllBytes(path);
                    using var state = empty([bytes.Length], ScalarType.Byte);
                    state.bytes = bytes;
                    random.set_rng_state(state);
                    Console.WriteLine($"set {Path.GetFileName(path)}");
                }
                return 0;
            case "load-checkpoints":
                using (var model = TestModels.Mlp(seed: 1))
                {
                    foreach (var path in Directory.GetFiles(args[1], "*.ckpt").Order(StringComparer.Ordinal))
                        Console.WriteLine($"{Path.GetFileName(path)} {Load(path, model)}");
                }
                return 0;
            default:
                Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                return 2;
        }
    }

    private static string Load(string path, TorchSharp.torch.nn.Module model)
    {
        try
        {
            Checkpoint.Load(path, model, restoreRngState: true);
            return "restored";
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }
}
