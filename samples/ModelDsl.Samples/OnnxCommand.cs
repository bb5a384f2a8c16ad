using System.CommandLine;
using System.Globalization;
using ModelDsl.Inference;
using ModelDsl.Models.Dcgan;
using ModelDsl.Onnx;
using ModelDsl.Samples.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>onnx &lt;run&gt;</c>: exports a trained GPT or DCGAN generator to ONNX and uses the file with ONNX Runtime alone:
/// text continuing a prompt, or a grid of images. It first runs the file and TorchSharp on the same input and prints
/// the largest difference, so the export is checked where it is used.
/// </summary>
public static class OnnxCommand
{
    public sealed record Settings
    {
        [Option("--file", "the ONNX file to write (default: gpt.onnx or generator.onnx beside the weights)", HelpName = "FILE", NotRecorded = true)] public string? File { get; init; }
        [Option("--opset", "the ONNX opset to target", Min = OnnxOpsets.Min, Max = OnnxOpsets.Max, NotRecorded = true)] public int Opset { get; init; } = OnnxExportOptions.DefaultOpset;
        [Option("--prompt", "gpt: the text to continue (default: a newline)", NotRecorded = true)] public string? Prompt { get; init; }
        [Option("--chars", "gpt: characters to generate", Min = 1, Max = 1_000_000, NotRecorded = true)] public int Chars { get; init; } = 500;
        [Option("--temperature", "gpt: sampling temperature (0: greedy, the tokens of `generate --temperature 0`)", Min = 0, Max = 100, NotRecorded = true)] public double Temperature { get; init; } = 0.8;
        [Option("--top-k", "gpt: sample among the k likeliest characters", Min = 1, Max = 1_000_000, NotRecorded = true)] public int TopK { get; init; } = 200;
        [Option("--seed", "seed of the draws (gan: the noise of `generate` with the same seed)", Min = int.MinValue, NotRecorded = true)] public int Seed { get; init; } = RunOptions.DefaultSeed;
        [Option("--count", "gan: images to draw", Min = 1, Max = 4096, NotRecorded = true)] public int Count { get; init; } = 64;
        [Option("--image", "gan: the PNG to write", HelpName = "FILE", NotRecorded = true)] public string Image { get; init; } = "onnx-generated.png";
    }

    public static Command Command(Host host)
    {
        var weights = new Argument<string>("run") { Description = "A trained gpt or gan run's folder (e.g. out/gpt) or its weights (gpt.safetensors, generator.safetensors)" };
        var options = new OptionSet().Add(new Settings());
        var command = new Command("onnx", "Export a trained GPT or DCGAN generator to ONNX, then generate text or draw images with ONNX Runtime") { weights };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var path = GenerateCommand.WeightsOf(parse.GetValue(weights)!);
            var metadata = WeightsFile.ReadMetadata(path);
            var s = options.Read<Settings>(parse);
            return metadata.GetValueOrDefault("kind") switch
            {
                "gpt" => Text(host, path, metadata, s),
                "gan" => Images(host, path, metadata, s),
                var kind => throw new UsageException($"{path} holds {(kind is null ? "no model this command knows" : "a " + kind + " model")}; onnx exports the weights that gpt and gan write."),
            };
        });
        return command;
    }

    private static int Text(Host host, string path, IReadOnlyDictionary<string, string> metadata, Settings s)
    {
        var (gpt, tokenizer) = GptSample.Load(path, metadata);
        var file = s.File ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "gpt.onnx");
        var prompt = tokenizer.Encode(new string((s.Prompt ?? "\n").Where(tokenizer.Vocabulary.Contains).DefaultIfEmpty(tokenizer.Vocabulary[0]).ToArray()));
        using (gpt)
        {
            gpt.eval();
            gpt.ExportOnnx(file, new OnnxExportOptions { Opset = s.Opset });
            using var model = OnnxModel.Load(file);
            host.WriteLine($"{Describe(file)}: {string.Join(", ", model.Inputs)} → {string.Join(", ", model.Outputs)}");

            // The same logits from both, on the prompt cut to the context length.
            var context = prompt.TakeLast(gpt.BlockSize).ToArray();
            using (no_grad())
            using (var logits = gpt.Forward(tensor(context).unsqueeze(0)))
            {
                var onnx = model.Run(OnnxTensor.Int64(context, 1, context.Length))[0].Floats;
                var difference = logits.data<float>().ToArray().Zip(onnx).Max(p => Math.Abs(p.First - p.Second));
                host.WriteLine($"ONNX Runtime against TorchSharp on the prompt's logits: largest difference {difference:G3}");
            }

            var generator = new OnnxLanguageModel(model);
            var random = new Random(StepSeeds.Derive(s.Seed, StepSeeds.Sampling));
            var tokens = generator.Generate(prompt, s.Chars, s.Temperature, Math.Min(s.TopK, tokenizer.VocabularySize), random);
            host.WriteLine(tokenizer.Decode(tokens));
        }

        return ExitCodes.Success;
    }

    private static int Images(Host host, string path, IReadOnlyDictionary<string, string> metadata, Settings s)
    {
        using var dcgan = GanSample.Load(path, metadata);
        dcgan.Module.eval();
        var file = s.File ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "generator.onnx");
        var options = new OnnxExportOptions { Opset = s.Opset };
        switch (dcgan.Module)
        {
            case DeepDcganGenerator g: g.ExportOnnx(file, options); break;
            case CompactDcganGenerator g: g.ExportOnnx(file, options); break;
            case DcganGenerator g: g.ExportOnnx(file, options); break;
            case ConditionalDcganGenerator g: g.ExportOnnx(file, options); break;
            default: throw new UsageException($"{path} holds no DCGAN generator.");
        }
        using var model = OnnxModel.Load(file);
        host.WriteLine($"{Describe(file)}: {string.Join(", ", model.Inputs)} → {string.Join(", ", model.Outputs)}");

        // The noise (and, for a conditional generator, the labels: class i in row i) that `generate` draws for this
        // seed, so both commands show the same digits.
        using var scope = NewDisposeScope();
        var noiseSize = dcgan.Shape.Noise;
        var noise = randn([s.Count, noiseSize], generator: new Generator((ulong)StepSeeds.Derive(s.Seed, StepSeeds.Sampling)));
        var columns = (long)Math.Ceiling(Math.Sqrt(s.Count));
        var labels = dcgan.Shape.Conditional ? arange(s.Count, dtype: ScalarType.Int64).div(columns, rounding_mode: RoundingMode.floor).remainder(dcgan.Shape.Classes) : null;
        var inputs = labels is null
            ? new[] { OnnxTensor.Float(noise.data<float>().ToArray(), s.Count, noiseSize) }
            : new[] { OnnxTensor.Float(noise.data<float>().ToArray(), s.Count, noiseSize), OnnxTensor.Int64(labels.data<long>().ToArray(), s.Count) };
        var output = model.Run(inputs)[0];
        var images = tensor(output.Floats, output.Shape);
        using (no_grad())
        {
            var difference = (dcgan.Sample(noise, labels) - images).abs().max().item<float>();
            host.WriteLine($"ONNX Runtime against TorchSharp on these {s.Count} images: largest difference {difference:G3}");
        }

        Plots.SaveGrid(images, s.Image);
        host.WriteLine($"{s.Count} images drawn by ONNX Runtime from {file} (seed {s.Seed}): {Path.GetFullPath(s.Image)}");
        return ExitCodes.Success;
    }

    private static string Describe(string file)
    {
        var bytes = new FileInfo(file).Length + (System.IO.File.Exists(file + ".data") ? new FileInfo(file + ".data").Length : 0);
        return $"{file} ({bytes / 1024.0:N0} KiB)";
    }
}
