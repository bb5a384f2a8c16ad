using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelDsl.Training;
using ModelDsl.Weights;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// A trained model's weights as safetensors, with what the model is in the header's <c>__metadata__</c> (the
/// command, the options that shape the model, a GPT's vocabulary…): <c>generate</c> rebuilds the model from the
/// file alone, and PyTorch reads it as any safetensors file (<c>safe_open(path, "pt").metadata()</c> shows the rest).
/// </summary>
public static class WeightsFile
{
    public static void Save(string path, nn.Module model, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        SafetensorsFile.Write(buffer, model);
        var bytes = buffer.ToArray();
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var tensors = JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))) };
        foreach (var (name, entry) in tensors)
            header[name] = entry?.DeepClone();
        // The format's own writers pad the header with spaces to a multiple of 8 bytes, which keeps the data aligned.
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = new byte[(json.Length + 7) / 8 * 8];
        padded.AsSpan().Fill((byte)' ');
        json.CopyTo(padded, 0);
        AtomicFile.Write(path, stream =>
        {
            var prefix = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded.Length);
            stream.Write(prefix);
            stream.Write(padded);
            stream.Write(bytes.AsSpan(8 + length));
        });
    }

    /// <summary>The header's <c>__metadata__</c>, after the whole header was checked (<see cref="SafetensorsFile.ReadSignature"/>).</summary>
    /// <exception cref="InvalidDataException">Not an intact safetensors file.</exception>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        SafetensorsFile.ReadSignature(path);
        using var stream = File.OpenRead(path);
        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        var header = new byte[BinaryPrimitives.ReadUInt64LittleEndian(prefix)];
        stream.ReadExactly(header);
        using var json = JsonDocument.Parse(header);
        return json.RootElement.TryGetProperty("__metadata__", out var metadata)
            ? metadata.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];
    }
}
