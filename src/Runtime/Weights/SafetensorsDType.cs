using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>The dtype names of the safetensors format and the TorchSharp element types they stand for.</summary>
internal static class SafetensorsDType
{
    // The dtypes TorchSharp.PyBridge reads and writes, with their bytes per element.
    private static readonly (string Name, ScalarType DType, int Size)[] Supported =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    // Valid in the format, but with no TorchSharp element type to load them into.
    private static readonly HashSet<string> Unsupported =
        ["U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

    /// <summary>The supported names, for messages.</summary>
    public static string SupportedNames => string.Join(", ", Supported.Select(s => s.Name));

    /// <summary>The element type and size of a supported dtype name.</summary>
    public static bool TryParse(string name, out ScalarType dtype, out int size)
    {
        foreach (var entry in Supported)
        {
            if (entry.Name == name)
            {
                (dtype, size) = (entry.DType, entry.Size);
                return true;
            }
        }
        (dtype, size) = (default, 0);
        return false;
    }

    /// <summary>Whether <paramref name="name"/> is a dtype of the format that this library cannot load.</summary>
    public static bool IsKnownButUnsupported(string name) => Unsupported.Contains(name);

    /// <summary>The format's name for <paramref name="dtype"/>, or null when a file cannot hold it.</summary>
    public static string? NameOf(ScalarType dtype)
    {
        foreach (var entry in Supported)
        {
            if (entry.DType == dtype)
                return entry.Name;
        }
        return null;
    }
}
