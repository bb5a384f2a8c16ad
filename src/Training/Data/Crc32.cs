using System;

namespace ModelDsl.Data;

/// <summary>CRC-32 as gzip's trailer holds it (ISO-HDLC: reflected polynomial 0xEDB88320, start and final xor all ones).</summary>
internal sealed class Crc32
{
    private static readonly uint[] Table = BuildTable();
    private uint crc = 0xFFFFFFFF;

    /// <summary>The CRC of the bytes appended so far.</summary>
    public uint Value => ~crc;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var c = crc;
        foreach (var b in bytes)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        crc = c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
