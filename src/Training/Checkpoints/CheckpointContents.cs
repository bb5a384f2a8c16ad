using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>A checkpoint file fully read and checksummed, before any of it touches a model.</summary>
internal sealed record CheckpointContents(
    CheckpointHeader Header,
    IReadOnlyList<StoredTensor> Tensors,
    byte[]? OptimizerState,
    byte[]? RngState);
