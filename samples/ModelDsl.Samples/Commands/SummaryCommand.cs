using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using ModelDsl.Models.Classifier;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Progressive;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Cli;
using TorchSharp;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>summary &lt;model&gt;</c>: prints the layer table the generator computed at compile time (the model's static
/// <c>Summary()</c>), then builds the model with the samples' default hyperparameters and counts its parameters.
/// </summary>
public static class SummaryCommand
{
    /// <summary>One model the command knows: its compile-time table and a default instance.</summary>
    private sealed record Entry(string Name, string Description, Func<string> Summary, string DefaultsText, Func<torch.nn.Module> Create, Func<torch.nn.Module, long> Declared);

    private static readonly Entry[] Entries =
    [
        new("gan-generator", "DCGAN generator (noise → image)", DcganGenerator.Summary,
            "noise=100, channels=1, size=28, width=64 (DcganGenerator.Mnist())", DcganGenerator.Mnist, m => ((DcganGenerator)m).ParameterCount),
        new("gan-discriminator", "DCGAN discriminator (image → logit)", DcganDiscriminator.Summary,
            "channels=1, size=28, width=64 (DcganDiscriminator.Mnist())", DcganDiscriminator.Mnist, m => ((DcganDiscriminator)m).ParameterCount),
        new("gpt", "nanoGPT-style decoder-only Transformer", Gpt.Summary,
            "vocab=65, blockSize=64, layers=4, heads=4, embed=128, dropout=0 (the gpt command's defaults on tiny Shakespeare)",
            () => new Gpt(vocab: 65, blockSize: 64, layers: 4, heads: 4, embed: 128, dropout: 0), m => ((Gpt)m).ParameterCount),
        new("gpt-block", "one pre-LayerNorm GPT block", GptBlock.Summary,
            "embed=128, heads=4, dropout=0", () => new GptBlock(embed: 128, heads: 4, dropout: 0), m => ((GptBlock)m).ParameterCount),
        new("transformer", "encoder–decoder Transformer (Vaswani et al. 2017)", Transformer.Summary,
            "vocab=14, layers=2, heads=4, embed=64, hidden=128, dropout=0 (the seq2seq command's defaults)",
            () => new Transformer(vocab: 14, layers: 2, heads: 4, embed: 64, hidden: 128, dropout: 0), m => ((Transformer)m).ParameterCount),
        new("encoder-layer", "one Transformer encoder layer", EncoderLayer.Summary,
            "embed=64, heads=4, hidden=128, dropout=0", () => new EncoderLayer(embed: 64, heads: 4, hidden: 128, dropout: 0), m => ((EncoderLayer)m).ParameterCount),
        new("decoder-layer", "one Transformer decoder layer", DecoderLayer.Summary,
            "embed=64, heads=4, hidden=128, dropout=0", () => new DecoderLayer(embed: 64, heads: 4, hidden: 128, dropout: 0), m => ((DecoderLayer)m).ParameterCount),
        new("mlp-column", "a progressive-network MLP column (one column, no laterals)", MlpColumn.Summary,
            "hidden=100, classes=2", () => new MlpColumn(hidden: 100, classes: 2), m => ((MlpColumn)m).ParameterCount),
        new("conv-column", "a progressive-network convolutional column (one column, no laterals)", ConvColumn.Summary,
            "classes=2", () => new ConvColumn(classes: 2), m => ((ConvColumn)m).ParameterCount),
        new("classifier", "the MNIST classifier behind the GAN metrics", MnistClassifier.Summary,
            "no hyperparameters", () => new MnistClassifier(), _ => MnistClassifier.ParameterCount),
    ];

    /// <summary>The model names the command accepts.</summary>
    public static IReadOnlyList<string> ModelNames => Entries.Select(e => e.Name).ToList();

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model")
        {
            Description = "One of: " + string.Join(", ", Entries.Select(e => e.Name)),
        };
        model.AcceptOnlyFromAmong(Entries.Select(e => e.Name).ToArray());
        var noInstance = new Option<bool>("--no-instance")
        {
            Description = "Print only the compile-time table; do not build the model (no libtorch)",
        };
        var command = new Command("summary", "Print a model's compile-time summary table and its parameter count")
        {
            model,
            noInstance,
        };
        command.SetAction(parseResult =>
        {
            var entry = Entries.Single(e => e.Name == parseResult.GetValue(model));
            var output = SampleContext.Current.Out;
            output.WriteLine($"{entry.Name}: {entry.Description}");
            output.WriteLine();
            output.WriteLine(entry.Summary());
            output.WriteLine();
            if (parseResult.GetValue(noInstance))
                return ExitCodes.Success;

            using var instance = entry.Create();
            var declared = entry.Declared(instance);
            // A tied weight (GPT's head and token embedding) is one Parameter, which parameters() lists once.
            var counted = instance.parameters().Sum(p => p.numel());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"With {entry.DefaultsText}: {counted:N0} parameters."));
            if (counted != declared)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: the generated ParameterCount says {declared:N0}."));
            return ExitCodes.Success;
        });
        return command;
    }
}
