using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Inference;

/// <summary>A run's outputs, by the names the model declares (<c>output</c> for a single tensor) and in order.</summary>
public sealed class OnnxResults : IReadOnlyList<OnnxTensor>
{
    private readonly IReadOnlyList<(string Name, OnnxTensor Tensor)> _outputs;

    internal OnnxResults(IReadOnlyList<(string Name, OnnxTensor Tensor)> outputs) => _outputs = outputs;

    /// <summary>The output names in order.</summary>
    public IEnumerable<string> Names => _outputs.Select(o => o.Name);

    /// <inheritdoc/>
    public int Count => _outputs.Count;

    /// <inheritdoc/>
    public OnnxTensor this[int index] => _outputs[index].Tensor;

    /// <summary>The output named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such output.</exception>
    public OnnxTensor this[string name]
        => _outputs.FirstOrDefault(o => o.Name == name).Tensor ?? throw new KeyNotFoundException($"no output '{name}'; the outputs are {string.Join(", ", Names)}");

    /// <inheritdoc/>
    public IEnumerator<OnnxTensor> GetEnumerator() => _outputs.Select(o => o.Tensor).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
