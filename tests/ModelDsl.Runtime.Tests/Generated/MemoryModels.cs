using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>A small classifier with every kind of per-step tensor: dropout masks, BatchNorm statistics, log-softmax.</summary>
[Model]
public sealed partial class MemoryNet
{
    [Flatten, Linear(64), ReLU, Dropout(0.1)] partial Linear Hidden { get; }
    [BatchNorm1d]                             partial BatchNorm1d Norm { get; }
    [Linear(10), LogSoftmax]                  partial Linear Output { get; }

    [return: Shape("B", 10)]
    public partial Tensor Forward([Shape("B", 1, 8, 8)] Tensor x);
}
