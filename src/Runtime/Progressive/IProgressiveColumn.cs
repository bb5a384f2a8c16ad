using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Progressive;

/// <summary>
/// A column of a progressive network, implemented by the generator for <c>[Model, ProgressiveColumn]</c> classes.
/// Layer <c>i</c> is the <c>i</c>-th member holding a Linear or Conv2d.
/// </summary>
public interface IProgressiveColumn
{
    /// <summary>The number of layers; every layer after the first takes lateral input.</summary>
    int LayerCount { get; }

    /// <summary>
    /// Runs the column like <c>Forward</c>, appending the input of each layer to <paramref name="layerInputs"/>
    /// (for a dense layer that flattens a feature map, the map before the flatten) and, for layers after the
    /// first, replacing the layer's output <c>a</c> by <c>lateral(i, a)</c> before its activation.
    /// </summary>
    Tensor ForwardColumn(Tensor x, IList<Tensor>? layerInputs, Func<int, Tensor, Tensor>? lateral);

    /// <summary>
    /// Creates the adapters that feed this column from <paramref name="previousColumns"/> earlier columns, one per
    /// layer after the first, with the shapes Rusu et al. (2016) prescribe for this column's declaration.
    /// </summary>
    IReadOnlyList<LateralAdapter> CreateLateralAdapters(int previousColumns);
}
