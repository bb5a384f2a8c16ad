using System;
using ModelDsl.Data;

namespace ModelDsl.Samples.Pnn;

/// <summary>One task of a continual-learning sequence: its training, validation and test images.</summary>
/// <param name="Name">How tables show the task (e.g. "0/1").</param>
/// <param name="Classes">The number of labels (0 … Classes − 1).</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Held out from the training images: for learning curves and growth decisions.</param>
/// <param name="Test">The test split's images of this task: the accuracies the tables report.</param>
public sealed record PnnTask(string Name, int Classes, ImageDataset Train, ImageDataset Validation, ImageDataset Test) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
