using System.CommandLine;
using System.Globalization;
using ModelDsl.Models.Classifier;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Progressive;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Harness;
using TorchSharp;

namespace ModelDsl.Samples;

/// <summary>
/// <c>summary &lt;model&gt;</c>: the layer table the generator computed at compile time (the model's static
/// <c>Summary()</c>), then the model built with the samples' defaults and its parameters counted.
/// </summary>
public static class SummaryCommand
{
    private sealed record Entry(string Name, string Description, Func<string> Summary, string Defaults, Func<torch.nn.Module> Create, Func<torch.nn.Module, long> Declared);

    private static readonly Entry[] Entries =
    [
        new("gan-generator", "DCGAN generator, TensorFlow's tutorial (noise → image)", DcganGenerator.Summary, "noise=100, channels=1, size=28, width=64 (DcganGenerator.Mnist())", DcganGenerator.Mnist, m => ((DcganGenerator)m).ParameterCount),
        new("gan-discriminator", "DCGAN discriminator, TensorFlow's tutorial (image → logit)", DcganDiscriminator.Summary, "channels=1, size=28, width=64 (DcganDiscriminator.Mnist())", DcganDiscriminator.Mnist, m => ((DcganDiscriminator)m).ParameterCount),
        new("gan-deep-generator", "deep DCGAN generator (gan's default)", DeepDcganGenerator.Summary, "noise=100, channels=1, size=28, width=64 (DeepDcganGenerator.Mnist())", DeepDcganGenerator.Mnist, m => ((DeepDcganGenerator)m).ParameterCount),
        new("gan-classifying-discriminator", "DCGAN discriminator with a logit per class (gan's default)", ClassifyingDcganDiscriminator.Summary, "classes=10, channels=1, size=28, width=64 (ClassifyingDcganDiscriminator.Mnist())", ClassifyingDcganDiscriminator.Mnist, m => ((ClassifyingDcganDiscriminator)m).ParameterCount),
        new("gan-compact-generator", "compact DCGAN generator", CompactDcganGenerator.Summary, "noise=100, channels=1, size=28, width=64 (CompactDcganGenerator.Mnist())", CompactDcganGenerator.Mnist, m => ((CompactDcganGenerator)m).ParameterCount),
        new("gan-compact-discriminator", "compact DCGAN discriminator", CompactDcganDiscriminator.Summary, "channels=1, size=28, width=64 (CompactDcganDiscriminator.Mnist())", CompactDcganDiscriminator.Mnist, m => ((CompactDcganDiscriminator)m).ParameterCount),
        new("gan-conditional-generator", "conditional DCGAN generator (noise and label → image)", ConditionalDcganGenerator.Summary, "noise=100, classes=10, channels=1, size=28, width=64 (ConditionalDcganGenerator.Mnist())", ConditionalDcganGenerator.Mnist, m => ((ConditionalDcganGenerator)m).ParameterCount),
        new("gan-conditional-discriminator", "conditional DCGAN discriminator (image and label → logit)", ConditionalDcganDiscriminator.Summary, "classes=10, channels=1, size=28, width=64 (ConditionalDcganDiscriminator.Mnist())", ConditionalDcganDiscriminator.Mnist, m => ((ConditionalDcganDiscriminator)m).ParameterCount),
        new("gpt", "nanoGPT-style decoder-only Transformer", Gpt.Summary, "vocab=65, blockSize=64, layers=4, heads=4, embed=128, dropout=0 (the gpt command's defaults on tiny Shakespeare)",
            () => new Gpt(vocab: 65, blockSize: 64, layers: 4, heads: 4, embed: 128, dropout: 0), m => ((Gpt)m).ParameterCount),
        new("gpt-block", "one pre-LayerNorm GPT block", GptBlock.Summary, "embed=128, heads=4, dropout=0", () => new GptBlock(embed: 128, heads: 4, dropout: 0), m => ((GptBlock)m).ParameterCount),
        new("transformer", "encoder–decoder Transformer (Vaswani et al. 2017)", Transformer.Summary, "vocab=14, layers=2, heads=4, embed=64, hidden=128, dropout=0, shareEmbeddings=true (the seq2seq command's defaults)",
            () => new Transformer(vocab: 14, layers: 2, heads: 4, embed: 64, hidden: 128, dropout: 0, shareEmbeddings: true), m => ((Transformer)m).ParameterCount),
        new("encoder-layer", "one Transformer encoder layer", EncoderLayer.Summary, "embed=64, heads=4, hidden=128, dropout=0", () => new EncoderLayer(embed: 64, heads: 4, hidden: 128, dropout: 0), m => ((EncoderLayer)m).ParameterCount),
        new("decoder-layer", "one Transformer decoder layer", DecoderLayer.Summary, "embed=64, heads=4, hidden=128, dropout=0", () => new DecoderLayer(embed: 64, heads: 4, hidden: 128, dropout: 0), m => ((DecoderLayer)m).ParameterCount),
        new("mlp-column", "a progressive-network MLP column (one column, no laterals)", MlpColumn.Summary, "hidden=100, classes=2", () => new MlpColumn(hidden: 100, classes: 2), m => ((MlpColumn)m).ParameterCount),
        new("conv-column", "a progressive-network convolutional column (one column, no laterals)", ConvColumn.Summary, "classes=2", () => new ConvColumn(classes: 2), m => ((ConvColumn)m).ParameterCount),
        new("classifier", "the MNIST classifier behind the GAN metrics", MnistClassifier.Summary, "no hyperparameters", () => new MnistClassifier(), _ => MnistClassifier.ParameterCount),
    ];

    public static Command Command(Host host)
    {
        var names = string.Join(", ", Entries.Select(e => e.Name));
        var model = new Argument<string>("model") { Description = "One of: " + names };
        model.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var name && Entries.All(e => e.Name != name))
                result.AddError($"summary: there is no model '{name}'; the models are {names}.");
        });
        var noInstance = new Option<bool>("--no-instance") { Description = "Print only the compile-time table; do not build the model (no libtorch)" };
        var command = new Command("summary", "Print a model's compile-time summary table and its parameter count") { model, noInstance };
        command.SetAction(parse =>
        {
            var entry = Entries.Single(e => e.Name == parse.GetValue(model));
            host.WriteLine($"{entry.Name}: {entry.Description}\n\n{entry.Summary()}\n");
            if (parse.GetValue(noInstance))
                return ExitCodes.Success;
            using var instance = entry.Create();
            // A tied weight (GPT's head and token embedding) is one Parameter, which parameters() lists once.
            var counted = instance.parameters().Sum(p => p.numel());
            host.WriteLine(string.Create(CultureInfo.InvariantCulture, $"With {entry.Defaults}: {counted:N0} parameters."));
            if (counted != entry.Declared(instance))
                host.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: the generated ParameterCount says {entry.Declared(instance):N0}."));
            return ExitCodes.Success;
        });
        return command;
    }
}
