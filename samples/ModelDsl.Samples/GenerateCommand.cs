using System.CommandLine;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;
using V = ModelDsl.Samples.Seq2SeqVocabulary;

namespace ModelDsl.Samples;

/// <summary>
/// <c>generate &lt;run&gt;</c>: uses a trained model. The weights a run writes say in their safetensors metadata what
/// model they are: a GPT prints text continuing a prompt, a DCGAN generator draws a grid of images, a seq2seq
/// Transformer decodes the given inputs. Nothing of the run is written to.
/// </summary>
public static class GenerateCommand
{
    public sealed record Settings
    {
        [Option("--prompt", "gpt: the text to continue (default: a newline)", NotRecorded = true)] public string? Prompt { get; init; }
        [Option("--chars", "gpt: characters to generate", Min = 1, Max = 1_000_000, NotRecorded = true)] public int Chars { get; init; } = 500;
        [Option("--temperature", "gpt: sampling temperature (0: greedy)", Min = 0, Max = 100, NotRecorded = true)] public double Temperature { get; init; } = 0.8;
        [Option("--top-k", "gpt: sample among the k likeliest characters", Min = 1, Max = 1_000_000, NotRecorded = true)] public int TopK { get; init; } = 200;
        [Option("--seed", "gpt, gan: seed of the draws (the training run's seed repeats its sample.txt and samples.png)", Min = int.MinValue, NotRecorded = true)] public int Seed { get; init; } = RunOptions.DefaultSeed;
        [Option("--count", "gan: images to draw", Min = 1, Max = 4096, NotRecorded = true)] public int Count { get; init; } = 64;
        [Option("--image", "gan: the PNG to write", HelpName = "FILE", NotRecorded = true)] public string Image { get; init; } = "generated.png";
        [Option("--digit", "gan, conditional generator: draw only this class (default: class i in row i)", Min = 0, Max = 9, NotRecorded = true)] public int? Digit { get; init; }
        [Option("--input", "seq2seq: sources to decode, separated by spaces or commas (e.g. \"31415 27+385\")", NotRecorded = true)] public string? Input { get; init; }
    }

    private static readonly Dictionary<string, string[]> OptionsOf = new()
    {
        ["gpt"] = ["--prompt", "--chars", "--temperature", "--top-k", "--seed"],
        ["gan"] = ["--count", "--image", "--seed", "--digit"],
        ["seq2seq"] = ["--input"],
    };

    public static Command Command(Host host)
    {
        var weights = new Argument<string>("run") { Description = "A trained run's folder (e.g. out/gpt) or its weights (gpt.safetensors, generator.safetensors, transformer.safetensors)" };
        var options = new OptionSet().Add(new Settings());
        var command = new Command("generate", "Use a trained model: text from a GPT, images from a DCGAN generator, decodes from a seq2seq Transformer") { weights };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var path = WeightsOf(parse.GetValue(weights)!);
            var metadata = WeightsFile.ReadMetadata(path);
            var kind = metadata.GetValueOrDefault("kind");
            if (kind is null || !OptionsOf.TryGetValue(kind, out var allowed))
                throw new UsageException($"{path} does not say which sample trained it (no 'kind' in its safetensors metadata); generate reads the weights that gpt, gan and seq2seq write.");
            if (OptionsOf.Values.SelectMany(o => o).Distinct().FirstOrDefault(o => !allowed.Contains(o) && options.Given(parse, o)) is { } misplaced)
                throw new UsageException($"{misplaced} does not apply to {path}, which holds a {kind} model; its options are {string.Join(", ", allowed)}.");
            var s = options.Read<Settings>(parse);
            return kind switch
            {
                "gpt" => Text(host, path, metadata, s),
                "gan" => Images(host, path, metadata, s),
                _ => Decodes(host, path, metadata, s),
            };
        });
        return command;
    }

    // A folder: the one weights file a run wrote in it.
    internal static string WeightsOf(string given)
    {
        if (File.Exists(given))
            return given;
        if (!Directory.Exists(given))
            throw new UsageException($"generate: there is no file or folder '{given}'.");
        var found = Directory.GetFiles(given, "*.safetensors").Where(f => WeightsFile.ReadMetadata(f).ContainsKey("kind")).ToList();
        if (found.Count == 1)
            return found[0];
        if (found.Count > 1)
            throw new UsageException($"generate: '{given}' holds several trained models ({string.Join(", ", found.Select(Path.GetFileName))}); name one.");
        var checkpoint = Path.Combine(given, "checkpoint.mdl");
        if (File.Exists(checkpoint) && Checkpoint.ReadInfo(checkpoint).Metadata is { } saved && saved.Properties.GetValueOrDefault("kind") is { } kind)
            throw new UsageException($"generate: the {kind} run in '{given}' has not finished (its checkpoint is at step {saved.Step:N0}); finish it with `{kind} --resume --out {given}`.");
        throw new UsageException($"generate: '{given}' holds no weights that say what model they are (gpt.safetensors, generator.safetensors or transformer.safetensors written by gpt, gan or seq2seq).");
    }

    private static int Text(Host host, string path, IReadOnlyDictionary<string, string> metadata, Settings s)
    {
        var (model, tokenizer) = GptSample.Load(path, metadata);
        using (model)
        {
            var text = GptSample.Sample(model, tokenizer, s.Prompt ?? "\n", s.Chars, s.Temperature, s.TopK, s.Seed, out var dropped);
            if (dropped.Length > 0)
                host.Error.WriteLine($"warning: the prompt's characters {string.Join(" ", dropped.Select(c => $"'{c}'"))} are not in the model's vocabulary of {tokenizer.VocabularySize}; they were left out.");
            host.WriteLine(text);
        }
        return ExitCodes.Success;
    }

    private static int Images(Host host, string path, IReadOnlyDictionary<string, string> metadata, Settings s)
    {
        using var generator = GanSample.Load(path, metadata);
        if (s.Digit is { } wanted && (!generator.Shape.Conditional || wanted >= generator.Shape.Classes))
            throw new UsageException(generator.Shape.Conditional
                ? $"--digit: {path} draws classes 0–{generator.Shape.Classes - 1}; got {wanted}."
                : $"--digit: {path} is an unconditional DCGAN generator; train one with `gan --conditional` to choose the class.");
        using var noGrad = no_grad();
        using var noise = randn([s.Count, generator.Shape.Noise], generator: new Generator((ulong)StepSeeds.Derive(s.Seed, StepSeeds.Sampling)));
        // A conditional generator draws --digit, or class i in row i of the grid (the training run's grid at --count 100).
        var columns = (long)Math.Ceiling(Math.Sqrt(s.Count));
        using var labels = !generator.Shape.Conditional ? null
            : s.Digit is { } digit ? full([s.Count], digit, dtype: ScalarType.Int64)
            : arange(s.Count, dtype: ScalarType.Int64).div(columns, rounding_mode: RoundingMode.floor).remainder(generator.Shape.Classes);
        using var images = generator.Sample(noise, labels);
        Plots.SaveGrid(images, s.Image);
        host.WriteLine($"{s.Count} images from {path} (seed {s.Seed}): {Path.GetFullPath(s.Image)}");
        return ExitCodes.Success;
    }

    private static int Decodes(Host host, string path, IReadOnlyDictionary<string, string> metadata, Settings s)
    {
        var inputs = (s.Input ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (inputs.Length == 0)
            throw new UsageException("--input: give the sources to decode, e.g. --input \"31415 27+385\".");
        var (model, task) = Seq2SeqSample.Load(path, metadata);
        using (model)
        {
            var examples = new List<Seq2SeqExample>();
            foreach (var input in inputs)
            {
                var valid = task.Kind == Seq2SeqTaskKind.Add ? System.Text.RegularExpressions.Regex.IsMatch(input, @"^\d{1,9}\+\d{1,9}$") : input.All(char.IsAsciiDigit);
                if (!valid)
                    throw new UsageException($"--input: '{input}' is not a source of the {task} task ({(task.Kind == Seq2SeqTaskKind.Add ? "\"a+b\" with digits a and b" : "digits")}).");
                var source = V.Encode(input);
                examples.Add(new Seq2SeqExample(source, task.Solve(source)));
            }
            var (rows, _, _) = Seq2SeqSample.Evaluate(model, examples, Math.Max(task.MaxTargetLength, examples.Max(e => e.Target.Length)) + 1);
            host.WriteLine($"{path}: {task} task, trained on {task.Description}.");
            foreach (var (example, row) in examples.Zip(rows))
            {
                var outside = example.Source.Length > task.MaxSourceLength || (task.Kind != Seq2SeqTaskKind.Add && example.Source.Length < task.MinLength) ? " (longer or shorter than trained)" : "";
                host.WriteLine($"{V.Decode(example.Source)} → {V.Decode(row, stopAtEos: true)}  {(example.IsExactMatch(row) ? "✓" : $"✗ expected {V.Decode(example.Target)}")}{outside}");
            }
        }
        return ExitCodes.Success;
    }
}
