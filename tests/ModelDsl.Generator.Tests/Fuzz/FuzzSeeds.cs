using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;

namespace ModelDsl.Generator.Tests.Fuzz;

/// <summary>One file of a seed: its path (as the compilation names it) and its text.</summary>
internal sealed record SeedFile(string Path, string Text)
{
    /// <summary>Whether the fuzzer mutates this file: it declares a <c>[Model]</c> or a <c>[Gan]</c> class.</summary>
    public bool IsMutable => Text.Contains("[Model", StringComparison.Ordinal) || Text.Contains("[Gan", StringComparison.Ordinal);
}

/// <summary>
/// A valid DSL program the fuzzer starts from: one or more files that compile together (with the generated code)
/// without any diagnostic. Each fuzz case mutates one of its mutable files and keeps the others as they are.
/// </summary>
internal sealed class Seed
{
    private readonly Lazy<SyntaxTree[]> _trees;
    private readonly Lazy<int[]> _mutableFiles;
    private readonly Lazy<string[]> _classNames;

    public Seed(string name, IReadOnlyList<SeedFile> files)
    {
        Name = name;
        Files = files;
        _trees = new Lazy<SyntaxTree[]>(() => Files.Select(f => GeneratorHarness.Parse(f.Text, f.Path)).ToArray());
        _mutableFiles = new Lazy<int[]>(() => Enumerable.Range(0, Files.Count).Where(i => Files[i].IsMutable).ToArray());
        _classNames = new Lazy<string[]>(() => Files
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(f.Text, @"\bclass\s+([A-Za-z_][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray());
    }

    public string Name { get; }

    public IReadOnlyList<SeedFile> Files { get; }

    /// <summary>The files parsed once, shared by every case (syntax trees are immutable).</summary>
    public IReadOnlyList<SyntaxTree> Trees => _trees.Value;

    /// <summary>Indexes of the files the fuzzer may mutate.</summary>
    public IReadOnlyList<int> MutableFiles => _mutableFiles.Value;

    /// <summary>Class names declared anywhere in the seed (used to retarget types, <c>typeof</c> and <c>Nested</c>).</summary>
    public IReadOnlyList<string> ClassNames => _classNames.Value;

    public override string ToString() => Name;
}

/// <summary>
/// The fuzzer's seeds: the showcase models of <c>src/Models</c> read from disk (one seed per folder, so that
/// models nesting each other stay together), plus small programs that between them use every DSL attribute.
/// </summary>
internal static class FuzzSeeds
{
    private static readonly Lazy<IReadOnlyList<Seed>> LazyAll = new(Load);

    public static IReadOnlyList<Seed> All => LazyAll.Value;

    /// <summary><c>src/Models</c>, found from this file's path at compile time.</summary>
    public static string ModelsDirectory(string thisFile)
    {
        string? dir = Path.GetDirectoryName(thisFile);
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "src", "Models")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir is null
            ? throw new DirectoryNotFoundException($"No src/Models above '{thisFile}'.")
            : Path.Combine(dir, "src", "Models");
    }

    private static IReadOnlyList<Seed> Load() => LoadModelFolders(ThisFile()).Concat(InlineSeeds()).ToArray();

    private static IEnumerable<Seed> LoadModelFolders(string thisFile)
    {
        string root = ModelsDirectory(thisFile);
        char sep = Path.DirectorySeparatorChar;
        var folders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !p.Contains($"{sep}bin{sep}", StringComparison.Ordinal))
            .GroupBy(p => Path.GetRelativePath(root, Path.GetDirectoryName(p)!), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var files = folder
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => new SeedFile("Models/" + Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText(p).Replace("\r\n", "\n", StringComparison.Ordinal)))
                .ToArray();
            if (files.Any(f => f.IsMutable))
            {
                yield return new Seed("src/Models/" + folder.Key.Replace('\\', '/'), files);
            }
        }
    }

    private static IEnumerable<Seed> InlineSeeds()
    {
        yield return Inline("ConvZoo", ConvZoo);
        yield return Inline("TinyLanguageModel", TinyLanguageModel);
        yield return Inline("GanAndColumn", GanAndColumn);
        yield return Inline("Wiring", Wiring);
        yield return Inline("ShapeSteps", ShapeSteps);
        yield return Inline("SequenceLayers", SequenceLayers);
        yield return Inline("TestModels.Repeated", TestModels.Repeated);
    }

    private static Seed Inline(string name, string text) => new(name, [new SeedFile(name + ".cs", text.Replace("\r\n", "\n", StringComparison.Ordinal))]);

    private static string ThisFile([CallerFilePath] string path = "") => path;

    /// <summary>
    /// Convolutions ('same' padding included), both poolings, both batch norms, Flatten, Reshape, Dropout, a
    /// two-argument Linear and every activation.
    /// </summary>
    public const string ConvZoo = TestModels.Usings + """
        [Model]
        public sealed partial class ConvZoo
        {
            public partial ConvZoo(int channels, int classes, double dropout);

            [Conv2d("channels", Kernel = 3, Stride = 1, Padding = "same", Bias = false)]
            partial Conv2d Conv1 { get; }

            [BatchNorm2d(Eps = 1e-3, Momentum = 0.05), ReLU, MaxPool2d(2, Stride = 2, Padding = 0)]
            partial BatchNorm2d Bn1 { get; }

            [Conv2d("2 * channels", Kernel = 4, Stride = 2, Padding = 1), LeakyReLU(0.1), AvgPool2d(2)]
            partial Conv2d Conv2 { get; }

            [ConvTranspose2d("channels", Kernel = 3, Stride = 2, Padding = "same"), Sigmoid]
            partial ConvTranspose2d Up { get; }

            [ConvTranspose2d(4, Kernel = 4, Stride = 2, Padding = 1, OutputPadding = 0), Tanh, AvgPool2d(3, Stride = 2, Padding = 1)]
            partial ConvTranspose2d Up2 { get; }

            [Flatten(StartDim = 1), Dropout("dropout"), Linear(256, 32), GELU]
            partial Linear Fc1 { get; }

            [BatchNorm1d(Momentum = 0.2), Reshape(2, 4, 4), Flatten]
            partial BatchNorm1d Bn2 { get; }

            [Linear("classes"), Softmax(Dim = -1), LogSoftmax(Dim = 1)]
            partial Linear Head { get; }

            [return: Shape("B", "classes")]
            public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor image);
        }
        """;

    /// <summary>
    /// Embeddings (scaled, learned positions, sinusoidal), causal self-attention, cross-attention with a padding
    /// mask, LayerNorm, residuals, a constant hyperparameter, a repeated nested block with extra inputs and a tied head.
    /// </summary>
    public const string TinyLanguageModel = TestModels.Usings + """
        [Model]
        public sealed partial class TinyBlock
        {
            private const int Expansion = 4;

            public partial TinyBlock(int embed, int heads);

            [LayerNorm(Eps = 1e-6, Bias = false)]
            partial LayerNorm Ln1 { get; }

            [CausalSelfAttention(Heads = "heads", Dropout = 0.1), Residual(From = "x")]
            partial ModelDsl.Layers.CausalSelfAttention Attn { get; }

            [Attention(Heads = "heads", Memory = "memory", KeyPadding = "padding"), Residual(From = nameof(Attn))]
            partial ModelDsl.Layers.Attention Cross { get; }

            [Attention(Heads = 1, Causal = true, Dropout = 0.0), Residual]
            partial ModelDsl.Layers.Attention Self { get; }

            [LayerNorm]
            partial LayerNorm Ln2 { get; }

            [Linear("Expansion * embed"), GELU, Dropout(0.1)]
            partial Linear Up { get; }

            [Linear("embed"), Residual(From = nameof(Ln2))]
            partial Linear Down { get; }

            [return: Shape("B", "T", "embed")]
            public partial Tensor Forward(
                [Shape("B", "T", "embed")] Tensor x,
                [Shape("B", "S", "embed")] Tensor memory,
                [Shape("B", "S")] Tensor padding);
        }

        [Model]
        public sealed partial class TinyLm
        {
            public partial TinyLm(int vocab, int context, int embed, int heads, int layers);

            [Embedding("vocab", "embed")]
            public partial Embedding Tokens { get; }

            [PositionalEmbedding("context"), SinusoidalEncoding, Dropout(0.0)]
            partial Embedding Positions { get; }

            [Input("memory"), Embedding("vocab", "embed", Scaled = true)]
            partial Embedding MemoryTokens { get; }

            [Input(nameof(Positions)), Nested("embed", "heads", Repeat = "layers", Inputs = new[] { nameof(MemoryTokens), "padding" })]
            partial ModuleList<TinyBlock> Blocks { get; }

            [LayerNorm]
            partial LayerNorm Final { get; }

            [Linear("vocab", Bias = false, TiedTo = nameof(Tokens))]
            public partial Linear Head { get; }

            [return: Shape("B", "T", "vocab")]
            public partial Tensor Forward([Shape("B", "T")] Tensor idx, [Shape("B", "S")] Tensor memory, [Shape("B", "S")] Tensor padding);
        }
        """;

    /// <summary>A GAN pairing of two models with hyperparameters, and a progressive column.</summary>
    public const string GanAndColumn = TestModels.Usings + """
        [Model]
        public sealed partial class Gen
        {
            public partial Gen(int noise, int width);

            [Linear("noise", "width"), ReLU]
            partial Linear Hidden { get; }

            [Linear(784), Tanh, Reshape(1, 28, 28)]
            partial Linear Project { get; }

            [return: Shape("B", 1, 28, 28)]
            public partial Tensor Forward([Shape("B", "noise")] Tensor z);
        }

        [Model]
        public sealed partial class Disc
        {
            [Conv2d(8, Kernel = 3, Stride = 2, Padding = 1), LeakyReLU(0.2), Dropout(0.3)]
            partial Conv2d Conv { get; }

            [Flatten, Linear(1), Sigmoid]
            partial Linear Score { get; }

            [return: Shape("B", 1)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
        }

        [Gan(typeof(Gen), typeof(Disc))]
        public sealed partial class Pair
        {
        }

        [Model, ProgressiveColumn]
        public sealed partial class Column
        {
            public partial Column(int hidden, int classes);

            [Conv2d(4, Kernel = 3, Padding = "same"), ReLU, MaxPool2d(2)]
            partial Conv2d Conv { get; }

            [Flatten, Linear("hidden"), ReLU]
            partial Linear Fc { get; }

            [Linear("classes")]
            partial Linear Head { get; }

            [return: Shape("B", "classes")]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
        }
        """;

    /// <summary>Several Forward arguments, Input, Concat (default and explicit Dim), Residual and a nested model with Inputs.</summary>
    public const string Wiring = TestModels.Usings + """
        [Model]
        public sealed partial class Mixer
        {
            public partial Mixer(int embed);

            [Input("memory"), Linear("embed")]
            partial Linear MemoryProj { get; }

            [Input("x"), Concat(nameof(MemoryProj), Dim = 1), LayerNorm]
            partial LayerNorm Mixed { get; }

            [return: Shape("B", "T + S", "embed")]
            public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x, [Shape("B", "S", "embed")] Tensor memory);
        }

        [Model]
        public sealed partial class Towers
        {
            [Flatten, Linear(64), ReLU]
            partial Linear ImageBranch { get; }

            [Input("meta"), Linear(64), Tanh, Residual(From = nameof(ImageBranch))]
            partial Linear MetaBranch { get; }

            [Concat("ImageBranch", "MetaBranch"), Linear(32), Reshape(4, 8)]
            partial Linear Joined { get; }

            [Input("sequence"), Linear(8)]
            partial Linear SeqProj { get; }

            [Input(nameof(Joined)), Nested(8, Inputs = new[] { nameof(SeqProj) })]
            partial Mixer Mix { get; }

            [Flatten(StartDim = 1), Linear(10), LogSoftmax]
            partial Linear Head { get; }

            [return: Shape("B", 10)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image, [Shape("B", 64)] Tensor meta, [Shape("B", 5, 8)] Tensor sequence);
        }
        """;

    /// <summary>
    /// The shape steps, arithmetic between branches, splits into named parts, members of type Identity, a [Call] with a
    /// shape contract and several outputs.
    /// </summary>
    public const string ShapeSteps = TestModels.Usings + """
        [Model(Onnx = false)]
        public sealed partial class ShapeSteps
        {
            public partial ShapeSteps(int channels, int hidden, double scale);

            [Conv2d("channels", Kernel = 3, Stride = 2, Padding = 1), Upsample(2, Bilinear = true), AdaptiveAvgPool2d(4, 4)]
            partial Conv2d Stem { get; }

            [Flatten(StartDim = 2), Transpose(1, 2), Unsqueeze(1), Squeeze(1), Permute(0, 2, 1), Transpose(-1, -2)]
            partial Identity Tokens { get; }

            [Linear("2 * hidden"), Chunk("gate", "up", Dim = -1)]
            partial Linear Project { get; }

            [Input("gate"), SiLU, Multiply("up"), Scale("scale"), Exp]
            partial Identity Glu { get; }

            [Identity, Split("low", "high", Sizes = new object[] { 8, 8 }, Dim = 1)]
            partial Identity Halves { get; }

            [Input("low"), RandnLike, Add("high"), Call(nameof(Blend), "high"), Mean(1, KeepDim = true)]
            partial Identity Mixed { get; }

            [Linear("channels")]
            partial Linear Head { get; }

            public partial (Tensor Head, Tensor Glu) Forward([Shape("B", 3, 16, 16)] Tensor image);

            [return: Shape("N", "T", "D")]
            static Tensor Blend([Shape("N", "T", "D")] Tensor a, [Shape("N", "T", "D")] Tensor b) => a * b;
        }
        """;

    /// <summary>
    /// The catalogue's second layer set: Conv1d, GroupNorm, RMSNorm, an LSTM with state taps in and out, a bidirectional
    /// GRU, learned tokens and a learned bias, rotary attention with and without bias, and Select.
    /// </summary>
    public const string SequenceLayers = TestModels.Usings + """
        [Model]
        public sealed partial class SequenceLayers
        {
            public partial SequenceLayers(int channels, int hidden, int layers, double dropout);

            [Conv1d("channels", Kernel = 5, Padding = "same")]
            partial Conv1d Conv { get; }

            [GroupNorm(4), SiLU, Transpose(1, 2)]
            partial GroupNorm Norm { get; }

            [LSTM("hidden", Layers = "layers", Dropout = "dropout", InitialState = new[] { "h0", "c0" }, FinalState = new[] { "H", "C" })]
            partial LSTM Rnn { get; }

            [GRU("hidden", Bidirectional = true, FinalState = "G")]
            partial GRU Back { get; }

            [ClassToken(Count = 2)]
            partial Parameter Tokens { get; }

            [Learned(1, 1, "2 * hidden")]
            partial Parameter Bias { get; }

            [RMSNorm(Eps = 1e-6)]
            partial ModelDsl.Layers.RMSNorm Norm2 { get; }

            [CausalSelfAttention(Heads = 2, Rotary = true, RotaryBase = 500000.0)]
            partial ModelDsl.Layers.CausalSelfAttention Attn { get; }

            [Attention(Heads = 4, Causal = true, Rotary = true, Bias = false), Select(1, -1)]
            partial ModelDsl.Layers.Attention Pool { get; }

            [Linear(3)]
            partial Linear Head { get; }

            public partial (Tensor Head, Tensor H, Tensor C, Tensor G) Forward(
                [Shape("B", 8, "T")] Tensor x, [Shape("layers", "B", "hidden")] Tensor h0, [Shape("layers", "B", "hidden")] Tensor c0);
        }
        """;
}
