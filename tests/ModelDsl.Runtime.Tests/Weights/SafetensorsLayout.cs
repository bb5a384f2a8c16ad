using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelDsl.Runtime.Tests.Weights;

/// <summary>One header entry, as the safetensors format spells it.</summary>
internal sealed record SafetensorsEntry(string DType, long[] Shape, long Begin, long End);

/// <summary>
/// A safetensors file taken apart by the format's own rules, independently of the runtime's reader: an 8-byte
/// little-endian header length N, N bytes of JSON (<c>{"name": {"dtype", "shape", "data_offsets"}, "__metadata__"?}</c>),
/// then the data section that the offsets index.
/// </summary>
internal sealed class SafetensorsLayout
{
    private SafetensorsLayout(Dictionary<string, SafetensorsEntry> entries, List<string> order, Dictionary<string, string>? metadata, long headerLength, byte[] data)
    {
        Entries = entries;
        Order = order;
        Metadata = metadata;
        HeaderLength = headerLength;
        Data = data;
    }

    public Dictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The tensor names in the header's order.</summary>
    public List<string> Order { get; }

    public Dictionary<string, string>? Metadata { get; }

    public long HeaderLength { get; }

    public byte[] Data { get; }

    /// <summary>The raw bytes of one tensor.</summary>
    public byte[] Bytes(string name) => Data[(int)Entries[name].Begin..(int)Entries[name].End];

    public static SafetensorsLayout Read(string path) => Parse(File.ReadAllBytes(path));

    public static SafetensorsLayout Parse(byte[] file)
    {
        var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0, 8));
        var json = Encoding.UTF8.GetString(file, 8, (int)length);
        using var document = JsonDocument.Parse(json);
        var entries = new Dictionary<string, SafetensorsEntry>();
        var order = new List<string>();
        Dictionary<string, string>? metadata = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                metadata = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                continue;
            }
            var value = property.Value;
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            entries[property.Name] = new SafetensorsEntry(
                value.GetProperty("dtype").GetString()!,
                value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                offsets[0],
                offsets[1]);
            order.Add(property.Name);
        }
        return new SafetensorsLayout(entries, order, metadata, length, file[(8 + (int)length)..]);
    }

    /// <summary>
    /// <paramref name="file"/> with a <c>__metadata__</c> entry first in its header and the header padded with spaces
    /// to a multiple of 8 bytes, as the reference implementation writes them (PyTorch's <c>save_model</c> records each
    /// dropped name of a shared tensor there).
    /// </summary>
    public static byte[] WithMetadata(byte[] file, IReadOnlyDictionary<string, string> metadata)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, length))!.AsObject();
        var rebuilt = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))) };
        foreach (var (key, value) in header.ToList())
        {
            header.Remove(key);
            rebuilt[key] = value;
        }
        var json = Encoding.UTF8.GetBytes(rebuilt.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + (file.Length - 8 - length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        file.AsSpan(8 + length).CopyTo(result.AsSpan(8 + padded));
        return result;
    }
}
