using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>The JSON part of a checkpoint file: everything but the tensors and opaque blobs.</summary>
internal sealed class CheckpointHeader
{
    public string ModelType { get; set; } = "";
    public long Step { get; set; }
    public long? Seed { get; set; }
    public List<double> LossHistory { get; set; } = [];
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>The optimizer's CLR type name, when its state is saved.</summary>
    public string? OptimizerType { get; set; }

    /// <summary>The shapes of the optimizer's parameters in its order, to validate before loading its state.</summary>
    public List<long[]>? OptimizerParameterShapes { get; set; }
}
