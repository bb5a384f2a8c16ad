using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>The constructor expression of each layer kind, with only non-default arguments spelled out.</summary>
internal static class LayerCode
{
    public static string Construct(LayerPlan layer, Func<OpArg, string> value)
    {
        string Arg(string name) => value(layer.Args.First(a => a.Name == name));
        string? Optional(string name, string parameter, string defaultValue)
        {
            var text = Arg(name);
            return text == defaultValue ? null : parameter + ": " + text;
        }

        string Call(string factory, params string?[] args) => $"{CodeNames.Nn}.{factory}({string.Join(", ", args.Where(a => a is not null))})";

        return layer.Kind switch
        {
            "Linear" => Call("Linear", Arg("in"), Arg("out"), Optional("bias", "hasBias", "true")),
            "Embedding" => Call("Embedding", Arg("count"), Arg("dim")),
            "Conv2d" => Call("Conv2d", Arg("in"), Arg("out"), Arg("kernel"), Optional("stride", "stride", "1"), Optional("padding", "padding", "0"), Optional("bias", "bias", "true")),
            "ConvTranspose2d" => Call("ConvTranspose2d", Arg("in"), Arg("out"), Arg("kernel"), Optional("stride", "stride", "1"), Optional("padding", "padding", "0"),
                Optional("outputPadding", "output_padding", "0"), Optional("bias", "bias", "true")),
            "BatchNorm1d" or "BatchNorm2d" => Call(layer.Kind, Arg("features"), Optional("eps", "eps", "1E-05"), Optional("momentum", "momentum", "0.1")),
            "LayerNorm" => Call("LayerNorm", Arg("features"), Optional("eps", "eps", "1E-05"), Optional("bias", "bias", "true")),
            "CausalSelfAttention" => $"new global::ModelDsl.Layers.CausalSelfAttention({Arg("embed")}, {Arg("heads")}{Rate(Arg("dropout"))})",
            "Attention" => $"new global::ModelDsl.Layers.Attention({Arg("embed")}, {Arg("heads")}{Rate(Arg("dropout"))}{(Arg("causal") == "true" ? ", causal: true" : "")})",
            "Nested" => $"new {layer.NestedType}({string.Join(", ", layer.Args.Select(a => Convert(a, value(a))))})",
            _ => throw new InvalidOperationException("Unknown layer kind " + layer.Kind),
        };
    }

    // Narrowing an integer is checked (an out-of-range hyperparameter throws); double to float needs no check.
    private static string Convert(OpArg arg, string code)
        => arg.Conversion is not { } type ? code : type == "float" ? $"({type})({code})" : $"checked(({type})({code}))";

    private static string Rate(string dropout) => dropout == "0" ? "" : ", dropout: " + dropout;

    /// <summary>A one-line description for XML docs and the summary table.</summary>
    public static string Describe(LayerPlan layer)
        => layer.Kind == "Nested" ? layer.NestedType!.Split('.').Last() + (layer.Repeat is null ? "" : " × " + layer.Repeat)
         : layer.Args.FirstOrDefault(a => a.Name == "tiedTo") is { } tied ? layer.Kind + ", tied to " + Check.Naming.SnakeCase(tied.Literal!)
         : layer.Kind;

    /// <summary>The member's chain for XML docs: "BatchNorm1d → LeakyReLU → Reshape".</summary>
    public static string Chain(MemberPlan member)
        => string.Join(" → ", member.Ops.Select(o => o.Kind is "Layer" or "ScaledLayer" ? Describe(member.Layer!) : o.Kind).Where(k => k != "Input"));
}
