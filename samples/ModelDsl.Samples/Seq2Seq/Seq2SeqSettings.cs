using System.Globalization;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>Model and optimisation settings of the seq2seq sample; the defaults learn <c>reverse</c> to 100% on a CPU in minutes.</summary>
public sealed record Seq2SeqSettings
{
    /// <summary>Encoder and decoder layers each.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Attention heads; must divide <see cref="Embed"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Model width.</summary>
    public int Embed { get; init; } = 64;

    /// <summary>Feed-forward width.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Dropout; 0 suits an endless synthetic stream, which cannot be overfitted.</summary>
    public double Dropout { get; init; }

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak Adam learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Learning rate at the last step, after the cosine decay.</summary>
    public double MinLearningRate { get; init; } = 1e-4;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>Training steps (the cosine decay ends at the last).</summary>
    public long Steps { get; init; } = 2000;

    /// <summary>What must not change on <c>--resume</c>.</summary>
    public string Config => string.Create(CultureInfo.InvariantCulture,
        $"layers={Layers} heads={Heads} embed={Embed} hidden={Hidden} dropout={Dropout} batch={BatchSize} lr={LearningRate} minLr={MinLearningRate} warmup={WarmupSteps} steps={Steps}");

    /// <summary>Throws <see cref="UsageException"/> on settings the model cannot use.</summary>
    public void Validate()
    {
        if (Layers < 1 || Heads < 1 || Embed < 1 || Hidden < 1 || BatchSize < 1)
            throw new UsageException("--layers, --heads, --embed, --hidden and --batch must be at least 1.");
        if (Embed % Heads != 0)
            throw new UsageException($"--embed ({Embed}) must be a multiple of --heads ({Heads}).");
        if (Dropout is < 0 or >= 1)
            throw new UsageException("--dropout must be in [0, 1).");
        if (!(LearningRate > 0) || MinLearningRate < 0 || MinLearningRate > LearningRate)
            throw new UsageException("Need 0 <= --min-lr <= --lr and --lr > 0.");
        if (WarmupSteps < 0)
            throw new UsageException("--warmup must be at least 0.");
        if (Steps < 1)
            throw new UsageException("--steps must be at least 1.");
    }
}
