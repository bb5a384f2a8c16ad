using System;
using System.IO;
using System.Linq;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Inference;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>One inference comparison: the model's eval forward in TorchSharp against its exported file in ONNX Runtime.</summary>
internal sealed record InferenceComparison(string Model, string Input, PairedTimings Timings, double LargestDifference)
{
    /// <summary>ONNX Runtime's time over TorchSharp's: below 1, ONNX Runtime is faster.</summary>
    public double Ratio => Timings.MedianB / Timings.MedianA;
}

/// <summary>
/// Inference of the exported models: TorchSharp's <c>Forward</c> in evaluation mode without gradients, against ONNX
/// Runtime running the file <c>ExportOnnx</c> wrote (through <see cref="OnnxModel"/>, copying the output out), both on
/// the same threads, interleaved; the outputs are compared first.
/// </summary>
internal static class OnnxInferenceSuite
{
    public static InferenceComparison Gpt(int batch, TimeSpan budget)
    {
        var c = Training.GptConfig.NanoGptCpu;
        manual_seed(2024);
        using var model = new Gpt(c.Vocab, c.BlockSize, c.Layers, c.Heads, c.Embed, 0.0);
        using var idx = randint(c.Vocab, [batch, c.BlockSize], dtype: ScalarType.Int64);
        var onnxInput = OnnxTensor.Int64(idx.data<long>().ToArray(), batch, c.BlockSize);
        return Compare("GPT (nanoGPT CPU config)", $"[{batch}, {c.BlockSize}] tokens", model, model.ExportOnnx, x => model.Forward(x), idx, onnxInput, budget);
    }

    public static InferenceComparison DcganGenerator(int batch, TimeSpan budget)
    {
        manual_seed(2024);
        using var model = Models.Dcgan.DcganGenerator.Mnist();
        using var noise = randn(batch, 100);
        var onnxInput = OnnxTensor.Float(noise.data<float>().ToArray(), batch, 100);
        return Compare("DCGAN generator (MNIST)", $"[{batch}, 100] noise", model, model.ExportOnnx, x => model.Forward(x), noise, onnxInput, budget);
    }

    private static InferenceComparison Compare(string name, string input, nn.Module model, Action<string, Onnx.OnnxExportOptions?> export,
        Func<Tensor, Tensor> forward, Tensor torchInput, OnnxTensor onnxInput, TimeSpan budget)
    {
        model.eval();
        var path = Path.Combine(Path.GetTempPath(), $"modeldsl-bench-{Guid.NewGuid():N}.onnx");
        try
        {
            export(path, null);
            using var session = OnnxModel.Load(path, threads: Machine.TorchThreads);
            double difference;
            using (no_grad())
            using (var expected = forward(torchInput))
            {
                var actual = session.Run(onnxInput)[0].Floats;
                difference = expected.data<float>().ToArray().Zip(actual).Max(p => Math.Abs((double)p.First - p.Second));
            }

            if (difference > 1e-4)
                throw new InvalidOperationException($"{name}: ONNX Runtime differs from TorchSharp by {difference:G3}");

            void Torch()
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                forward(torchInput);
            }

            void Runtime() => session.Run(onnxInput);
            var timings = Paired.Run(Torch, Runtime, warmup: 5, rounds: 10_000, budget, minRounds: 30);
            return new InferenceComparison(name, input, timings, difference);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
