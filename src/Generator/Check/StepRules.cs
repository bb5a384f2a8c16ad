using System.Collections.Generic;
using ModelDsl.Generator.Check.Rules;

namespace ModelDsl.Generator.Check;

/// <summary>The layer catalogue: which rule checks each attribute, and which module type a layer needs.</summary>
internal static class StepRules
{
    /// <summary>Layer attributes and the TorchSharp module type their property must have.</summary>
    public static readonly IReadOnlyDictionary<string, string> ModuleTypes = new Dictionary<string, string>(System.StringComparer.Ordinal)
    {
        ["Linear"] = "TorchSharp.Modules.Linear",
        ["Embedding"] = "TorchSharp.Modules.Embedding",
        ["Conv2d"] = "TorchSharp.Modules.Conv2d",
        ["ConvTranspose2d"] = "TorchSharp.Modules.ConvTranspose2d",
        ["BatchNorm1d"] = "TorchSharp.Modules.BatchNorm1d",
        ["BatchNorm2d"] = "TorchSharp.Modules.BatchNorm2d",
        ["LayerNorm"] = "TorchSharp.Modules.LayerNorm",
        ["CausalSelfAttention"] = "ModelDsl.Layers.CausalSelfAttention",
        ["Attention"] = "ModelDsl.Layers.Attention",
    };

    /// <summary>Checks one attribute; null when it is not part of the catalogue.</summary>
    public static StepResult? Apply(CheckContext context, StepInput input, TapTable taps, out bool known)
    {
        known = true;
        switch (input.Step.Name)
        {
            case "Linear": return DenseRules.Linear(context, input);
            case "Embedding": return DenseRules.Embedding(context, input);
            case "Conv2d": return ConvolutionRules.Conv2d(context, input);
            case "ConvTranspose2d": return ConvolutionRules.ConvTranspose2d(context, input);
            case "MaxPool2d": return ConvolutionRules.MaxPool2d(context, input);
            case "AvgPool2d": return ConvolutionRules.AvgPool2d(context, input);
            case "BatchNorm1d": return NormalizationRules.BatchNorm1d(context, input);
            case "BatchNorm2d": return NormalizationRules.BatchNorm2d(context, input);
            case "LayerNorm": return NormalizationRules.LayerNorm(context, input);
            case "ReLU" or "GELU" or "Tanh" or "Sigmoid": return ActivationRules.Elementwise(context, input);
            case "LeakyReLU": return ActivationRules.LeakyReLU(context, input);
            case "Dropout": return ActivationRules.Dropout(context, input);
            case "Softmax" or "LogSoftmax": return ActivationRules.Softmax(context, input);
            case "Flatten": return ReshapeRules.Flatten(context, input);
            case "Reshape": return ReshapeRules.Reshape(context, input);
            case "Residual": return WiringRules.Residual(context, input, taps);
            case "Input": return WiringRules.Input(context, input, taps);
            case "Concat": return WiringRules.Concat(context, input, taps);
            case "Nested": return NestedRules.Nested(context, input, taps);
            case "CausalSelfAttention": return AttentionRules.CausalSelfAttention(context, input);
            case "Attention": return AttentionRules.Attention(context, input, taps);
            case "PositionalEmbedding": return AttentionRules.PositionalEmbedding(context, input);
            case "SinusoidalEncoding": return AttentionRules.SinusoidalEncoding(context, input);
            default:
                known = false;
                return null;
        }
    }
}
