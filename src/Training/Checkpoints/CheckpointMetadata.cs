using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>The training state a checkpoint carries besides the weights.</summary>
public sealed record CheckpointMetadata
{
    /// <summary>The optimizer step the weights are from.</summary>
    public long Step { get; init; }

    /// <summary>The seed the run started from, if known.</summary>
    public long? Seed { get; init; }

    /// <summary>Losses so far (e.g. one per evaluation), so that a resumed run can keep plotting.</summary>
    public IReadOnlyList<double> LossHistory { get; init; } = [];

    /// <summary>Anything else the run needs to resume or sample (a vocabulary, hyperparameters, …).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
