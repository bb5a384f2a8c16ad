using System;
using System.IO;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// One initializer: a model weight (read from its tensor only when the file is written) or a constant the graph
/// made. Data is little-endian raw bytes, as ONNX stores <c>raw_data</c>.
/// </summary>
internal sealed class OnnxInitializer
{
    private readonly Tensor? _weight;
    private readonly byte[]? _bytes;

    private OnnxInitializer(string name, TensorProto.Types.DataType type, long[] dims, Tensor? weight, byte[]? bytes)
        => (Name, Type, Dims, _weight, _bytes) = (name, type, dims, weight, bytes);

    public string Name { get; }

    public TensorProto.Types.DataType Type { get; }

    public long[] Dims { get; }

    /// <summary>The size of the data in bytes.</summary>
    public long ByteCount => _bytes?.LongLength ?? _weight!.numel() * sizeof(float);

    public static OnnxInitializer FromWeight(string name, Tensor weight)
        => new(name, TensorProto.Types.DataType.Float, weight.shape, weight, null);

    public static OnnxInitializer Float(string name, float[] values, long[] dims)
        => new(name, TensorProto.Types.DataType.Float, dims, null, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxInitializer Double(string name, double[] values, long[] dims)
        => new(name, TensorProto.Types.DataType.Double, dims, null, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxInitializer Int64(string name, long[] values, long[] dims)
        => new(name, TensorProto.Types.DataType.Int64, dims, null, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxInitializer Bool(string name, bool[] values, long[] dims)
        => new(name, TensorProto.Types.DataType.Bool, dims, null, Array.ConvertAll(values, v => v ? (byte)1 : (byte)0));

    /// <summary>The tensor with its data inline.</summary>
    public TensorProto ToProto()
    {
        var proto = Header();
        proto.RawData = ByteString.CopyFrom(Data());
        return proto;
    }

    /// <summary>The tensor with its data at <paramref name="offset"/> of the external file <paramref name="location"/>.</summary>
    public TensorProto ToExternalProto(string location, long offset)
    {
        var proto = Header();
        proto.DataLocation = TensorProto.Types.DataLocation.External;
        proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = ByteCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return proto;
    }

    /// <summary>Writes the raw data to <paramref name="stream"/>.</summary>
    public void WriteData(Stream stream) => stream.Write(Data());

    private TensorProto Header()
    {
        var proto = new TensorProto { Name = Name, DataType = (int)Type };
        proto.Dims.AddRange(Dims);
        return proto;
    }

    // A weight is copied to the CPU and made contiguous at write time, so the export sees the weights as they are
    // when the file is written, whatever the device. The machine is little-endian wherever TorchSharp runs.
    private byte[] Data()
    {
        if (_bytes is not null)
            return _bytes;
        using var scope = NewDisposeScope();
        var values = _weight!.detach().cpu().contiguous().data<float>().ToArray();
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }
}
