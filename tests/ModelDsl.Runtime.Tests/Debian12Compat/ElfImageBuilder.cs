using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>
/// Writes a small ELF64 shared object with just the dynamic-linking tables the Debian 12 edit reads: .dynstr,
/// .dynsym, .gnu.version, .gnu.version_r and the section-name table, laid out like a linker would.
/// </summary>
internal sealed class ElfImageBuilder
{
    private const int HeaderSize = 64, SectionHeaderSize = 64, SymbolSize = 24;

    private readonly List<(string Name, string? Version, bool Defined)> symbols = [];
    private readonly List<(string File, string[] Versions)> needs = [];

    /// <summary>EI_CLASS: 2 for 64-bit.</summary>
    public byte Class { get; init; } = 2;

    /// <summary>EI_DATA: 1 for little-endian.</summary>
    public byte DataEncoding { get; init; } = 1;

    /// <summary>e_machine: 62 for x86-64.</summary>
    public ushort Machine { get; init; } = 62;

    /// <summary>Whether to write .gnu.version.</summary>
    public bool WithVersionTable { get; init; } = true;

    /// <summary>The usual picture: libstdc++ and libc versions, the GCC 13 marker symbol and a defined function.</summary>
    public static ElfImageBuilder LikeLibTorchSharp(byte @class = 2, byte dataEncoding = 1, ushort machine = 62, bool withVersionTable = true) =>
        new ElfImageBuilder { Class = @class, DataEncoding = dataEncoding, Machine = machine, WithVersionTable = withVersionTable }
            .Needs("libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.32", "CXXABI_1.3")
            .Needs("libc.so.6", "GLIBC_2.14")
            .Imports("_ZNSt8ios_baseD2Ev", "GLIBCXX_3.4")
            .Imports("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32")
            .Imports("memcpy", "GLIBC_2.14")
            .Defines("THSTensor_add");

    /// <summary>Adds a Verneed entry for <paramref name="file"/> with one Vernaux per version.</summary>
    public ElfImageBuilder Needs(string file, params string[] versions)
    {
        needs.Add((file, versions));
        return this;
    }

    /// <summary>Adds an undefined symbol bound to <paramref name="version"/> (null: unversioned).</summary>
    public ElfImageBuilder Imports(string name, string? version)
    {
        symbols.Add((name, version, false));
        return this;
    }

    /// <summary>Adds a symbol this object defines.</summary>
    public ElfImageBuilder Defines(string name)
    {
        symbols.Add((name, null, true));
        return this;
    }

    public byte[] Build()
    {
        var versionIndex = new Dictionary<string, ushort>();
        foreach (var version in needs.SelectMany(n => n.Versions))
            versionIndex[version] = (ushort)(versionIndex.Count + 2); // 0 local, 1 global

        var dynstr = new StringTable();
        foreach (var (name, _, _) in symbols)
            dynstr.Add(name);
        foreach (var (file, versions) in needs)
        {
            dynstr.Add(file);
            foreach (var version in versions)
                dynstr.Add(version);
        }

        var dynsym = new byte[(symbols.Count + 1) * SymbolSize];
        var versym = new byte[(symbols.Count + 1) * 2];
        for (var i = 0; i < symbols.Count; i++)
        {
            var (name, version, defined) = symbols[i];
            var entry = dynsym.AsSpan((i + 1) * SymbolSize, SymbolSize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, dynstr.Offset(name));
            entry[4] = 1 << 4 | 2; // STB_GLOBAL, STT_FUNC
            BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], (ushort)(defined ? 1 : 0)); // st_shndx: SHN_UNDEF when imported
            BinaryPrimitives.WriteUInt16LittleEndian(versym.AsSpan((i + 1) * 2), version is null ? (ushort)1 : versionIndex[version]);
        }

        var verneed = new List<byte>();
        for (var n = 0; n < needs.Count; n++)
        {
            var (file, versions) = needs[n];
            var entry = new byte[16 + 16 * versions.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, 1); // vn_version
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), (ushort)versions.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), dynstr.Offset(file));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 16); // vn_aux
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), n == needs.Count - 1 ? 0u : (uint)entry.Length);
            for (var k = 0; k < versions.Length; k++)
            {
                var aux = entry.AsSpan(16 + 16 * k, 16);
                BinaryPrimitives.WriteUInt32LittleEndian(aux, ElfHash(versions[k]));
                BinaryPrimitives.WriteUInt16LittleEndian(aux[6..], versionIndex[versions[k]]);
                BinaryPrimitives.WriteUInt32LittleEndian(aux[8..], dynstr.Offset(versions[k]));
                BinaryPrimitives.WriteUInt32LittleEndian(aux[12..], k == versions.Length - 1 ? 0u : 16u);
            }
            verneed.AddRange(entry);
        }

        var shstrtab = new StringTable();
        var image = new MemoryStream();
        image.Write(new byte[HeaderSize]);
        var sections = new List<(string Name, uint Type, long Offset, long Size, uint Link, uint Info, long Align, long EntrySize)>
        {
            ("", 0, 0, 0, 0, 0, 0, 0),
        };
        void Append(string name, uint type, byte[] data, int align, uint link, uint info, long entrySize)
        {
            while (image.Length % align != 0)
                image.WriteByte(0);
            shstrtab.Add(name);
            sections.Add((name, type, image.Length, data.Length, link, info, align, entrySize));
            image.Write(data);
        }

        Append(".dynstr", 3, dynstr.ToArray(), 1, 0, 0, 0);
        Append(".dynsym", 11, dynsym, 8, 1, 1, SymbolSize);
        if (WithVersionTable)
            Append(".gnu.version", 0x6fffffff, versym, 2, 2, 0, 2);
        if (needs.Count > 0)
            Append(".gnu.version_r", 0x6ffffffe, verneed.ToArray(), 8, 1, (uint)needs.Count, 0);
        shstrtab.Add(".shstrtab");
        Append(".shstrtab", 3, shstrtab.ToArray(), 1, 0, 0, 0);

        while (image.Length % 8 != 0)
            image.WriteByte(0);
        var sectionHeaders = image.Length;
        foreach (var section in sections)
        {
            var header = new byte[SectionHeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, section.Name.Length == 0 ? 0 : shstrtab.Offset(section.Name));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), section.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), section.Name is "" or ".shstrtab" ? 0ul : 2ul); // SHF_ALLOC
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), (ulong)section.Offset); // sh_addr
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)section.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)section.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), section.Link);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(44), section.Info);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), (ulong)section.Align);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(56), (ulong)section.EntrySize);
            image.Write(header);
        }

        var bytes = image.ToArray();
        bytes[0] = 0x7f;
        "ELF"u8.CopyTo(bytes.AsSpan(1));
        bytes[4] = Class;
        bytes[5] = DataEncoding;
        bytes[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), (ulong)sectionHeaders);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(52), HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), (ushort)sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), (ushort)(sections.Count - 1));
        return bytes;
    }

    /// <summary>The System V ELF hash, as vna_hash holds it.</summary>
    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            var g = h & 0xf0000000;
            if (g != 0)
                h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    /// <summary>A NUL-separated string table that stores each string once, after a leading NUL.</summary>
    private sealed class StringTable
    {
        private readonly MemoryStream bytes = new();
        private readonly Dictionary<string, uint> offsets = [];

        public StringTable() => bytes.WriteByte(0);

        public void Add(string value)
        {
            if (offsets.ContainsKey(value))
                return;
            offsets[value] = (uint)bytes.Position;
            bytes.Write(Encoding.ASCII.GetBytes(value + "\0"));
        }

        public uint Offset(string value) => offsets[value];

        public byte[] ToArray() => bytes.ToArray();
    }
}
