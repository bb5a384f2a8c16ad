using System.Collections.Generic;
using ModelDsl.Weights;

namespace ModelDsl.Training;

/// <summary>What a checkpoint file holds, as read back.</summary>
/// <param name="Metadata">The training state saved with it.</param>
/// <param name="ModelType">The CLR type name of the model that was saved.</param>
/// <param name="Signature">The saved state-dict entries, in order.</param>
/// <param name="OptimizerType">The optimizer's type name, or null when no optimizer state was saved.</param>
/// <param name="HasRngState">Whether libtorch's CPU generator state was saved.</param>
public sealed record CheckpointInfo(
    CheckpointMetadata Metadata,
    string ModelType,
    IReadOnlyList<TensorSignature> Signature,
    string? OptimizerType,
    bool HasRngState);
