using System;

namespace ModelDsl.Benchmarks.Training;

/// <summary>A model with its optimiser, ready to run one training step at a time.</summary>
internal interface ITrainingStep : IDisposable
{
    /// <summary>One training step: forward, loss, backward, optimiser step, zero_grad.</summary>
    void Step();
}
