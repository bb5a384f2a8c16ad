using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>One tensor as a safetensors header describes it.</summary>
/// <param name="Name">The key, a state-dict name.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The sizes (empty for a scalar).</param>
/// <param name="Begin">The first byte, relative to the start of the data section.</param>
/// <param name="End">One past the last byte.</param>
internal sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    public TensorSignature Signature => new(Name, Shape, DType);
}

/// <summary>
/// The header of a safetensors file, read and checked against the format's rules before any tensor is read: an
/// 8-byte little-endian length, that many bytes of UTF-8 JSON mapping each name to its <c>dtype</c>, <c>shape</c>
/// and <c>data_offsets</c> (plus an optional string-to-string <c>__metadata__</c>), then the data section, which
/// the entries must cover exactly, without gaps or overlaps. Every problem is an <see cref="InvalidDataException"/>
/// whose message starts with the file's name.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The format's own limit on the header (the reference implementation refuses larger ones).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries) => Entries = entries;

    /// <summary>The tensors, in the header's order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The entries' names, shapes and dtypes, in the header's order.</summary>
    public IReadOnlyList<TensorSignature> Signature => Entries.Select(e => e.Signature).ToList();

    /// <summary>
    /// Reads the header from the current position of a seekable <paramref name="stream"/> and checks it against the
    /// length of the rest of the stream. Leaves the stream positioned at the start of the data section.
    /// </summary>
    /// <exception cref="InvalidDataException">Truncated, corrupt, or not a safetensors file.</exception>
    /// <exception cref="NotSupportedException">A tensor has a dtype of the format that TorchSharp cannot hold.</exception>
    public static SafetensorsHeader Read(Stream stream, string name)
    {
        var available = stream.Length - stream.Position;
        Span<byte> prefix = stackalloc byte[8];
        if (available < prefix.Length)
            throw Invalid(name, $"the file is truncated or not a safetensors file: it has {available} bytes, fewer than the 8 of the header length");
        stream.ReadExactly(prefix);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > MaxHeaderLength)
            throw Invalid(name, $"not a safetensors file, or corrupt: its header length {length:N0} is over the format's limit of {MaxHeaderLength:N0} bytes");
        if ((long)length > available - 8)
            throw Invalid(name, $"the file is truncated: its header should have {length:N0} bytes but only {available - 8:N0} follow the length");

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        var header = Parse(name, Decode(name, bytes));
        CheckLayout(name, header.Entries, dataLength: available - 8 - (long)length);
        return header;
    }

    private static string Decode(string name, byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(name, $"not a safetensors file, or corrupt: its header is not UTF-8 text");
        }
        if (!text.StartsWith('{'))
            throw Invalid(name, $"not a safetensors file, or corrupt: its header does not start with '{{'");
        return text;
    }

    private static SafetensorsHeader Parse(string name, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"the JSON header is corrupt ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(name, $"the JSON header is not an object");
            var entries = new List<SafetensorsEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                        throw Invalid(name, $"the header names '{property.Name}' twice");
                    if (property.Name == MetadataKey)
                        CheckMetadata(name, property.Value);
                    else
                        entries.Add(ReadEntry(name, property.Name, property.Value));
                }
            }
            catch (InvalidOperationException e)
            {
                // JSON allows an escaped lone surrogate ("\ud800"), which no .NET string can hold; reading it throws.
                throw Invalid(name, $"the JSON header has a string that is not valid Unicode, such as an unpaired surrogate escape ({e.Message})");
            }
            return new SafetensorsHeader(entries);
        }
    }

    // Free-form and not used here, but the format allows only strings in it.
    private static void CheckMetadata(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(name, $"its {MetadataKey} is not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(name, $"its {MetadataKey} entry '{item.Name}' is not a string");
        }
    }

    private static SafetensorsEntry ReadEntry(string name, string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            throw Invalid(name, $"tensor '{key}' does not have a dtype string, a shape array and a data_offsets array");

        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtypeName, out var dtype, out var elementSize))
        {
            if (SafetensorsDType.IsKnownButUnsupported(dtypeName))
                throw new NotSupportedException($"{name}: tensor '{key}' has dtype {dtypeName}, which TorchSharp cannot hold (supported: {SafetensorsDType.SupportedNames})");
            throw Invalid(name, $"tensor '{key}' has unknown dtype '{dtypeName}'");
        }

        var shape = Integers(name, key, "shape", shapeElement);
        var offsets = Integers(name, key, "data_offsets", offsetsElement);
        if (offsets.Length != 2 || offsets[1] < offsets[0])
            throw Invalid(name, $"tensor '{key}' has data_offsets [{string.Join(", ", offsets)}], not [begin, end] with begin <= end");

        long bytes;
        try
        {
            bytes = checked(shape.Aggregate(1L, (product, size) => product * size) * elementSize);
        }
        catch (OverflowException)
        {
            throw Invalid(name, $"tensor '{key}' has impossible shape [{string.Join(", ", shape)}]");
        }
        if (offsets[1] - offsets[0] != bytes)
            throw Invalid(name, $"tensor '{key}' {dtypeName} [{string.Join(", ", shape)}] should take {bytes:N0} bytes but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]:N0}");
        return new SafetensorsEntry(key, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(string name, string key, string field, JsonElement array)
    {
        var values = new List<long>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
                throw Invalid(name, $"tensor '{key}' has a {field} that is not a list of non-negative integers");
            values.Add(value);
        }
        return values.ToArray();
    }

    // The format's rule: the entries, sorted by offset, tile the data section from its first byte to its last.
    private static void CheckLayout(string name, IReadOnlyList<SafetensorsEntry> entries, long dataLength)
    {
        long end = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < end)
                throw Invalid(name, $"tensor '{entry.Name}' overlaps the tensor before it (its data starts at byte {entry.Begin:N0}, before {end:N0})");
            if (entry.Begin > end)
                throw Invalid(name, $"the data section has a gap before tensor '{entry.Name}' (bytes {end:N0} to {entry.Begin:N0})");
            end = entry.End;
        }
        if (dataLength < end)
            throw Invalid(name, $"the file is truncated: its tensors need {end:N0} bytes of data but only {dataLength:N0} follow the header");
        if (dataLength > end)
            throw Invalid(name, $"the file has {dataLength - end:N0} bytes after its last tensor: corrupt, or not a safetensors file");
    }

    private static InvalidDataException Invalid(string name, FormattableString message) =>
        new($"{name}: {FormattableString.Invariant(message)}");
}
