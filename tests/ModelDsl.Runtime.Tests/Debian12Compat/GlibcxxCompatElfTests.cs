using System;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Build;
using Xunit;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>The three ELF edits on small images written by <see cref="ElfImageBuilder"/>, checked with a separate reader.</summary>
public sealed class GlibcxxCompatElfTests
{
    private const string Symbol = GlibcxxCompatElf.Symbol;
    private const string Version = GlibcxxCompatElf.Version;

    [Fact]
    public void Edit_makes_the_reference_weak_and_unversioned_and_the_version_optional()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var before = ElfVersionReader.Read(original, Symbol, Version);
        Assert.Equal(new SymbolVersionState(Binding: 1, SymbolVersion: before.VersionIndex, before.VersionIndex, VersionFlags: 0), before);

        var image = (byte[])original.Clone();
        var inspection = GlibcxxCompatElf.Inspect(image);
        Assert.Equal(GlibcxxCompatElf.State.NeedsPatch, inspection.State);
        GlibcxxCompatElf.Apply(image, inspection);

        Assert.Equal(new SymbolVersionState(Binding: 2, SymbolVersion: 1, before.VersionIndex, VersionFlags: 2), ElfVersionReader.Read(image, Symbol, Version));
        // One byte each: st_info, the low byte of the .gnu.version entry, vna_flags; the file keeps its size.
        Assert.Equal(original.Length, image.Length);
        Assert.Equal(3, Enumerable.Range(0, image.Length).Count(i => image[i] != original[i]));
        // The other imports keep their binding and version.
        var other = ElfVersionReader.Read(image, "_ZNSt8ios_baseD2Ev", "GLIBCXX_3.4");
        Assert.Equal((1, other.VersionIndex, 0), (other.Binding, other.SymbolVersion, other.VersionFlags));
    }

    [Fact]
    public void An_edited_image_is_recognised_and_a_second_edit_changes_nothing()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp().Build();
        GlibcxxCompatElf.Apply(image, GlibcxxCompatElf.Inspect(image));
        var edited = (byte[])image.Clone();

        var inspection = GlibcxxCompatElf.Inspect(image);
        Assert.Equal(GlibcxxCompatElf.State.Patched, inspection.State);
        GlibcxxCompatElf.Apply(image, inspection);
        Assert.Equal(edited, image);
    }

    [Fact]
    public void A_partly_edited_image_gets_the_missing_edits()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp().Build();
        var inspection = GlibcxxCompatElf.Inspect(image);
        image[inspection.VernauxFlagsOffset] |= 2; // only the version made optional

        var again = GlibcxxCompatElf.Inspect(image);
        Assert.Equal(GlibcxxCompatElf.State.NeedsPatch, again.State);
        GlibcxxCompatElf.Apply(image, again);
        Assert.Equal(new SymbolVersionState(2, 1, ElfVersionReader.Read(image, Symbol, Version).VersionIndex, 2), ElfVersionReader.Read(image, Symbol, Version));
    }

    [Fact]
    public void A_library_that_does_not_require_the_version_needs_nothing()
    {
        var image = new ElfImageBuilder()
            .Needs("libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30")
            .Imports("_ZNSt8ios_baseD2Ev", "GLIBCXX_3.4")
            .Build();

        var inspection = GlibcxxCompatElf.Inspect(image);

        Assert.Equal(GlibcxxCompatElf.State.VersionNotRequired, inspection.State);
        Assert.Equal(["GLIBCXX_3.4", "GLIBCXX_3.4.30"], inspection.LibStdCxxVersions);
    }

    [Fact]
    public void Lists_every_version_required_of_libstdcxx()
    {
        Assert.Equal(["GLIBCXX_3.4", "GLIBCXX_3.4.32", "CXXABI_1.3"], GlibcxxCompatElf.Inspect(ElfImageBuilder.LikeLibTorchSharp().Build()).LibStdCxxVersions);
    }

    [Fact]
    public void Other_symbols_that_need_the_version_are_an_error_that_names_them()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp().Imports("_ZNSt7__cxx1112basic_stringIcE4swapERS2_", Version).Build();

        var error = Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image));

        Assert.Contains("_ZNSt7__cxx1112basic_stringIcE4swapERS2_", error.Message);
        Assert.Contains("GCC 13", error.Message);
    }

    [Fact]
    public void A_missing_symbol_is_an_error_that_names_it()
    {
        var image = new ElfImageBuilder().Needs("libstdc++.so.6", Version).Imports("memcpy", null).Build();

        Assert.Equal($"requires {Version} but has no {Symbol} symbol in .dynsym", Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image)).Message);
    }

    [Fact]
    public void A_missing_version_table_is_an_error()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp(withVersionTable: false).Build();

        Assert.Equal($"requires {Version} but has no .gnu.version section", Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image)).Message);
    }

    [Fact]
    public void A_symbol_bound_to_another_version_is_an_error()
    {
        var image = new ElfImageBuilder()
            .Needs("libstdc++.so.6", "GLIBCXX_3.4", Version)
            .Imports(Symbol, "GLIBCXX_3.4")
            .Build();

        Assert.StartsWith($"binds {Symbol} to version index 2", Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image)).Message);
    }

    [Theory]
    [InlineData(1, 1, "is not a 64-bit little-endian ELF file (class 1, data encoding 1)")]
    [InlineData(2, 2, "is not a 64-bit little-endian ELF file (class 2, data encoding 2)")]
    public void Files_other_than_64_bit_little_endian_are_an_error(byte elfClass, byte dataEncoding, string message)
    {
        var image = ElfImageBuilder.LikeLibTorchSharp(elfClass, dataEncoding).Build();

        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image)).Message);
    }

    [Fact]
    public void A_file_that_is_not_elf_is_an_error()
    {
        var text = Encoding.ASCII.GetBytes("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 2399008\n");

        Assert.Equal("is not an ELF file", Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(text)).Message);
    }

    [Theory]
    [InlineData((ushort)183, GlibcxxCompatElf.State.NeedsPatch)] // AArch64: the same layout
    [InlineData((ushort)243, GlibcxxCompatElf.State.UnsupportedMachine)] // RISC-V
    [InlineData((ushort)21, GlibcxxCompatElf.State.UnsupportedMachine)] // PowerPC 64
    public void Only_x86_64_and_AArch64_are_edited(ushort machine, GlibcxxCompatElf.State expected)
    {
        var image = ElfImageBuilder.LikeLibTorchSharp(machine: machine).Build();

        var inspection = GlibcxxCompatElf.Inspect(image);

        Assert.Equal(expected, inspection.State);
        Assert.Equal(machine, inspection.Machine);
    }

    [Fact]
    public void A_truncated_file_is_an_error_at_every_length()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp().Build();

        for (var length = 0; length < image.Length; length++)
            Assert.Throws<InvalidDataException>(() => GlibcxxCompatElf.Inspect(image[..length]));
    }

    [Fact]
    public void Corrupt_bytes_anywhere_give_a_result_or_an_InvalidDataException_never_a_crash()
    {
        var image = ElfImageBuilder.LikeLibTorchSharp().Build();

        foreach (var value in new byte[] { 0x00, 0x7f, 0xff })
        {
            for (var i = 0; i < image.Length; i++)
            {
                var corrupt = (byte[])image.Clone();
                corrupt[i] = value;
                try
                {
                    var inspection = GlibcxxCompatElf.Inspect(corrupt);
                    GlibcxxCompatElf.Apply(corrupt, inspection);
                }
                catch (InvalidDataException)
                {
                }
            }
        }
    }
}
