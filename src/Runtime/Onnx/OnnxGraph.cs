using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// An ONNX graph under construction. Generated <c>LowerOnnx</c> methods call its operations, one per step, in the
/// order <c>Forward</c> runs them; weights become initializers named by their state-dict keys (the graph's scope,
/// such as <c>h.0.</c> inside a repeated block, then the member's key), each tensor stored once however many
/// modules share it.
/// </summary>
public sealed partial class OnnxGraph
{
    private readonly List<NodeProto> _nodes = new();
    private readonly List<OnnxInitializer> _initializers = new();
    private readonly Dictionary<string, OnnxValue> _weightsByTensor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxValue> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), OnnxDim> _dims = new();
    private int _counter;

    internal OnnxGraph(int opset)
    {
        OnnxOpsets.Check(opset);
        Opset = opset;
    }

    /// <summary>The operator set the graph targets; lowerings choose operators by it.</summary>
    public int Opset { get; }

    /// <summary>The state-dict prefix of the module being lowered: empty at the top, <c>h.0.</c> in a repeated block.</summary>
    public string Scope { get; private set; } = "";

    internal IReadOnlyList<NodeProto> Nodes => _nodes;

    internal IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>
    /// Dim <paramref name="axis"/> of <paramref name="value"/> as the graph sees it at run time: a symbolic input dim
    /// such as <c>T</c>, for the sizes that depend on it.
    /// </summary>
    public OnnxDim Dim(OnnxValue value, int axis)
    {
        if (!_dims.TryGetValue((value.Name, axis), out var dim))
        {
            var shape = Node("Shape", new[] { value }, Attribute("start", axis), Attribute("end", axis + 1));
            _dims[(value.Name, axis)] = dim = new OnnxDim(this, shape);
        }

        return dim;
    }

    /// <summary>Lowers a nested model under <paramref name="key"/> (its state-dict prefix) and returns its output.</summary>
    public OnnxValue Nested(IOnnxModule module, string key, params OnnxValue[] inputs)
    {
        using (Enter(key))
            return Single(module.LowerOnnx(this, inputs), key);
    }

    /// <summary>
    /// Lowers each block of a <c>ModuleList</c> in turn under <c>key.i</c>: the value flows through them, the
    /// <paramref name="extra"/> inputs reach every one.
    /// </summary>
    public OnnxValue Repeated<T>(TorchSharp.Modules.ModuleList<T> blocks, string key, OnnxValue value, params OnnxValue[] extra)
        where T : nn.Module, IOnnxModule
    {
        ArgumentNullException.ThrowIfNull(blocks);
        for (var i = 0; i < blocks.Count; i++)
        {
            var blockKey = key + "." + i.ToString(CultureInfo.InvariantCulture);
            using (Enter(blockKey))
                value = Single(blocks[i].LowerOnnx(this, new[] { value }.Concat(extra).ToArray()), blockKey);
        }

        return value;
    }

    /// <summary>A weight or buffer as an initializer named <see cref="Scope"/> + <paramref name="key"/>; a tensor seen before keeps its first name.</summary>
    public OnnxValue Weight(string key, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dtype != ScalarType.Float32)
            throw new NotSupportedException($"ONNX export writes float32 weights, but '{Scope}{key}' is {tensor.dtype}; convert the model with to(ScalarType.Float32) first");
        // Modules may hand out a new wrapper of the same tensor at every read: a tensor is its memory, not its wrapper.
        var identity = Identity(tensor);
        if (_weightsByTensor.TryGetValue(identity, out var known))
            return known;
        var name = Scope + key;
        if (!_names.Add(name))
            throw new InvalidOperationException($"two different tensors are both named '{name}'");
        var value = new OnnxValue(name);
        _weightsByTensor[identity] = value;
        _initializers.Add(OnnxInitializer.FromWeight(name, tensor));
        return value;
    }

    /// <summary>A one-dimensional int64 constant (shapes, axes, indices).</summary>
    public OnnxValue Int64s(params long[] values)
        => Constant("i64:" + string.Join(",", values), name => OnnxInitializer.Int64(name, values, new long[] { values.Length }));

    /// <summary>A float32 scalar constant.</summary>
    public OnnxValue Scalar(float value)
        => Constant("f32:" + value.ToString("R", CultureInfo.InvariantCulture), name => OnnxInitializer.Float(name, new[] { value }, Array.Empty<long>()));

    /// <summary>A float32 constant of the given shape.</summary>
    internal OnnxValue Floats(string hint, float[] values, params long[] dims)
        => Add(OnnxInitializer.Float(Fresh(hint), values, dims));

    /// <summary>A float64 constant of the given shape (angles computed in double precision, as the runtime computes them).</summary>
    internal OnnxValue Doubles(string hint, double[] values, params long[] dims)
        => Add(OnnxInitializer.Double(Fresh(hint), values, dims));

    /// <summary>A boolean constant of the given shape.</summary>
    internal OnnxValue Bools(string hint, bool[] values, params long[] dims)
        => Add(OnnxInitializer.Bool(Fresh(hint), values, dims));

    /// <summary>An int64 scalar constant.</summary>
    internal OnnxValue Int64Scalar(long value)
        => Constant("i64s:" + value.ToString(CultureInfo.InvariantCulture), name => OnnxInitializer.Int64(name, new[] { value }, Array.Empty<long>()));

    /// <summary>Adds a node with one output and returns it.</summary>
    internal OnnxValue Node(string op, params OnnxValue[] inputs) => Node(op, inputs, Array.Empty<AttributeProto>());

    /// <summary>Adds a node with one output and returns it; an input named "" is an omitted optional input.</summary>
    internal OnnxValue Node(string op, OnnxValue[] inputs, params AttributeProto[] attributes)
    {
        var output = new OnnxValue(Fresh(Scope + op));
        var node = new NodeProto { OpType = op, Name = output.Name };
        node.Input.AddRange(inputs.Select(i => i.Name));
        node.Output.Add(output.Name);
        node.Attribute.AddRange(attributes);
        _nodes.Add(node);
        return output;
    }

    /// <summary>Adds a node with <paramref name="outputs"/> outputs (the first named after the node) and returns them.</summary>
    internal OnnxValue[] NodeWithOutputs(string op, int outputs, OnnxValue[] inputs, params AttributeProto[] attributes)
    {
        var names = new OnnxValue[outputs];
        names[0] = new OnnxValue(Fresh(Scope + op));
        for (var i = 1; i < outputs; i++)
            names[i] = new OnnxValue(Fresh(names[0].Name + "_" + i.ToString(CultureInfo.InvariantCulture)));
        var node = new NodeProto { OpType = op, Name = names[0].Name };
        node.Input.AddRange(inputs.Select(i => i.Name));
        node.Output.AddRange(names.Select(n => n.Name));
        node.Attribute.AddRange(attributes);
        _nodes.Add(node);
        return names;
    }

    internal static AttributeProto Attribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    internal static AttributeProto Attribute(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    internal static AttributeProto Attribute(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    internal static AttributeProto Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>Names a graph input.</summary>
    internal OnnxValue Input(string name)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"the graph already has a value named '{name}'", nameof(name));
        return new OnnxValue(name);
    }

    /// <summary>Gives <paramref name="value"/> the output name <paramref name="name"/> through an Identity node.</summary>
    internal void Output(string name, OnnxValue value)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"the graph already has a value named '{name}'", nameof(name));
        var node = new NodeProto { OpType = "Identity", Name = Scope + name };
        node.Input.Add(value.Name);
        node.Output.Add(name);
        _nodes.Add(node);
    }

    /// <summary>Makes <paramref name="key"/> (a member's state-dict key) part of the scope until disposed.</summary>
    internal IDisposable Enter(string key)
    {
        var outer = Scope;
        Scope = outer + key + ".";
        return new ScopeExit(this, outer);
    }

    private static string Identity(Tensor tensor)
    {
        using var storage = tensor.storage<float>();
        return string.Join(":", storage.data_ptr(), tensor.storage_offset(), string.Join(",", tensor.shape), string.Join(",", tensor.stride()));
    }

    private static OnnxValue Single(OnnxValue[] outputs, string key)
        => outputs.Length == 1 ? outputs[0] : throw new InvalidOperationException($"'{key}' returned {outputs.Length} values where one was expected");

    private OnnxValue Constant(string key, Func<string, OnnxInitializer> create)
    {
        if (!_constants.TryGetValue(key, out var value))
            _constants[key] = value = Add(create(Fresh("const")));
        return value;
    }

    private OnnxValue Add(OnnxInitializer initializer)
    {
        _initializers.Add(initializer);
        return new OnnxValue(initializer.Name);
    }

    // "h.0.attn.MatMul", then "h.0.attn.MatMul_1", … : unique, and readable in a graph viewer.
    private string Fresh(string hint)
    {
        var name = hint;
        while (!_names.Add(name))
            name = hint + "_" + (++_counter).ToString(CultureInfo.InvariantCulture);
        return name;
    }

    private sealed class ScopeExit(OnnxGraph graph, string outer) : IDisposable
    {
        public void Dispose() => graph.Scope = outer;
    }
}
