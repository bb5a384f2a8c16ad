using System;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>The forward expression of each operation kind, applied to the variable <c>value</c>.</summary>
internal static class OpCode
{
    public static string Apply(OpPlan op, string value, MemberPlan member, Func<OpArg, string> arg, bool inPlace = false)
    {
        var overwrite = inPlace ? ", inplace: true" : "";
        string Arg(string name) => arg(op.Args.First(a => a.Name == name));
        var f = CodeNames.Functional;
        return op.Kind switch
        {
            "Layer" when member.Layer!.Kind == "Attention" => $"{member.FieldName}.call({value}, {(Arg("memory").Length == 0 ? value : Arg("memory"))}, {Arg("keyPadding")})",
            "Layer" => $"{member.FieldName}.call({string.Join(", ", new[] { value }.Concat(op.Args.Select(arg)))})",
            "ScaledLayer" => $"{member.FieldName}.call({value}) * global::System.Math.Sqrt({Arg("dim")})",
            "PositionalEmbedding" => $"{value} + {member.FieldName}.call({CodeNames.Torch}.arange({value}.shape[1], device: {value}.device))",
            "SinusoidalEncoding" => $"{value} + global::ModelDsl.Layers.PositionalEncoding.Sinusoidal({value}.shape[1], {value}.shape[2], {value}.device, {value}.dtype)",
            "Input" => Arg("tap"),
            "Residual" => $"{value} + {Arg("tap")}",
            "Concat" => $"{CodeNames.Torch}.cat(new[] {{ {value}, {Arg("taps")} }}, {Arg("dim")})",
            "ReLU" => $"{f}.relu({value}{overwrite})",
            "GELU" => $"{f}.gelu({value})",
            "Tanh" => $"{f}.tanh({value})",
            "Sigmoid" => $"{f}.sigmoid({value})",
            "LeakyReLU" => $"{f}.leaky_relu({value}, {Arg("slope")}{overwrite})",
            "Softmax" => $"{f}.softmax({value}, {Arg("dim")})",
            "LogSoftmax" => $"{f}.log_softmax({value}, {Arg("dim")})",
            "Dropout" => $"{f}.dropout({value}, {Arg("p")}, this.training)",
            "Flatten" => $"{value}.flatten({Arg("start")})",
            "Reshape" => $"{value}.reshape(-1, {string.Join(", ", op.Args.Select(arg))})",
            "MaxPool2d" => $"{f}.max_pool2d({value}, kernel_size: {Arg("kernel")}, stride: {Arg("stride")}{(Arg("padding") == "0" ? "" : ", padding: " + Arg("padding"))})",
            "AvgPool2d" => $"{f}.avg_pool2d({value}, kernel_size: {Arg("kernel")}, stride: {Arg("stride")}{(Arg("padding") == "0" ? "" : ", padding: " + Arg("padding"))})",
            _ => throw new InvalidOperationException("Unknown operation " + op.Kind),
        };
    }
}
