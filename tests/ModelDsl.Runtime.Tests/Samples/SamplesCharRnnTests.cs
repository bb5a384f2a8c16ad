using System.IO;
using ModelDsl.Data;
using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Samples;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The <c>charrnn</c> command: it trains and writes its outputs, and its sampling carries the LSTM's state correctly.</summary>
public sealed class SamplesCharRnnTests
{
    [Fact]
    public void A_short_run_writes_losses_sample_summary_and_weights()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        var (code, text, error) = Run("charrnn", "--data", WriteText(dir), "--out", output, "--steps", "4", "--threads", "1",
            "--hidden", "16", "--block", "16", "--batch", "4", "--warmup", "1", "--eval-interval", "2", "--eval-iters", "1", "--sample-chars", "30");

        Assert.True(code == 0, error);
        Assert.Contains("val loss over the whole validation split", text);
        foreach (var file in new[] { "losses.png", "sample.txt", "summary.json", "charrnn.safetensors", "checkpoint.mdl" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.Equal(30, File.ReadAllText(Path.Combine(output, "sample.txt")).Length);
    }

    [Fact]
    public void Greedy_sampling_with_the_carried_state_equals_rereading_the_whole_text_each_time()
    {
        manual_seed(3);
        var tokenizer = new CharTokenizer("abcdefgh \n");
        using var model = new CharRnn(tokenizer.VocabularySize, hidden: 12, layers: 2, dropout: 0);

        var carried = CharRnnSample.Sample(model, tokenizer, "bad cab", chars: 25, temperature: 0, seed: 1);

        // The same greedy choices, each from a zero state over the prompt and everything drawn so far.
        model.eval();
        using var noGrad = no_grad();
        var text = "bad cab";
        for (var i = 0; i < 25; i++)
        {
            var state = zeros(2, 1, 12);
            var (logits, _, _) = model.Forward(tensor(tokenizer.Encode(text)).unsqueeze(0), state, state);
            text += tokenizer.Decode([logits[0, -1].argmax().item<long>()]);
        }
        Assert.Equal(text["bad cab".Length..], carried);
    }
}
