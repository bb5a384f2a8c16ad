using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>How an ELF file binds one imported symbol and requires one version.</summary>
/// <param name="Binding">The symbol's STB_* binding (1 global, 2 weak).</param>
/// <param name="SymbolVersion">The symbol's .gnu.version entry without the hidden bit (1: unversioned).</param>
/// <param name="VersionIndex">vna_other of the required version, or -1 when the file does not require it.</param>
/// <param name="VersionFlags">vna_flags of the required version (2: VER_FLG_WEAK).</param>
internal sealed record SymbolVersionState(int Binding, int SymbolVersion, int VersionIndex, int VersionFlags);

/// <summary>
/// A reader for the tests, written apart from the task's: it finds the sections by name through e_shstrndx (the
/// task goes by section type) and reads with <see cref="BinaryPrimitives"/>.
/// </summary>
internal static class ElfVersionReader
{
    public static SymbolVersionState Read(byte[] elf, string symbol, string version)
    {
        var sections = SectionsByName(elf);
        var dynstr = sections[".dynstr"];
        var dynsym = sections[".dynsym"];
        var versym = sections[".gnu.version"];
        var verneed = sections[".gnu.version_r"];

        int versionIndex = -1, versionFlags = 0;
        var entry = verneed.Offset;
        while (true)
        {
            var count = U16(elf, entry + 2);
            var aux = entry + (int)U32(elf, entry + 8);
            for (var k = 0; k < count; k++)
            {
                if (CString(elf, dynstr.Offset + (int)U32(elf, aux + 8)) == version)
                {
                    versionFlags = U16(elf, aux + 4);
                    versionIndex = U16(elf, aux + 6);
                }
                aux += (int)U32(elf, aux + 12);
            }
            var next = (int)U32(elf, entry + 12);
            if (next == 0)
                break;
            entry += next;
        }

        for (var i = 0; i < dynsym.Size / 24; i++)
        {
            var sym = dynsym.Offset + i * 24;
            if (CString(elf, dynstr.Offset + (int)U32(elf, sym)) == symbol)
                return new SymbolVersionState(elf[sym + 4] >> 4, U16(elf, versym.Offset + i * 2) & 0x7fff, versionIndex, versionFlags);
        }
        throw new KeyNotFoundException($"{symbol} is not in .dynsym");
    }

    private static Dictionary<string, (int Offset, int Size)> SectionsByName(byte[] elf)
    {
        var headers = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var entrySize = U16(elf, 0x3a);
        var count = U16(elf, 0x3c);
        var names = headers + U16(elf, 0x3e) * entrySize;
        var namesOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(names + 24));
        var result = new Dictionary<string, (int, int)>();
        for (var i = 0; i < count; i++)
        {
            var header = headers + i * entrySize;
            var name = CString(elf, namesOffset + (int)U32(elf, header));
            result[name] = ((int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(header + 24)), (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(header + 32)));
        }
        return result;
    }

    private static int U16(byte[] elf, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(offset));

    private static uint U32(byte[] elf, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(offset));

    private static string CString(byte[] elf, int offset) => Encoding.ASCII.GetString(elf, offset, Array.IndexOf(elf, (byte)0, offset) - offset);
}
