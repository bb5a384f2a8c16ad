// The inline task of TorchSharpDebian12.targets (RoslynCodeTaskFactory compiles this file against .NET Standard 2.0,
// so it uses no newer API) and, as a linked file, part of the runtime tests. See the targets file for the why.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ModelDsl.Build;

/// <summary>
/// Makes TorchSharp's libLibTorchSharp.so in a build or publish folder load with a libstdc++ older than GCC 13:
/// when the system libstdc++ lacks GLIBCXX_3.4.32, rewrites the copy in place (atomically, timestamp kept) with the
/// three byte edits of <see cref="GlibcxxCompatElf"/>. Never touches the NuGet package folder.
/// </summary>
public sealed class TorchSharpDebian12Patch : Task
{
    /// <summary>The libLibTorchSharp.so copies to check (build or publish output).</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The system libstdc++.so.6, the one an application started here gets.</summary>
    public string? LibStdCxx { get; set; }

    /// <summary>A folder never to write into (the NuGet package root).</summary>
    public string? ProtectedDirectory { get; set; }

    /// <summary>Checks the system libstdc++, then each library, and patches those that need it.</summary>
    public override bool Execute()
    {
        string? libstdcxx = null;
        byte[]? libstdcxxImage = null;
        foreach (ITaskItem item in Libraries)
        {
            string library = Path.GetFullPath(item.ItemSpec);
            if (!File.Exists(library))
                continue;
            if (IsUnder(library, ProtectedDirectory))
            {
                Log.LogWarning("TorchSharpDebian12: not patching '{0}': it is inside the NuGet package folder '{1}'.", library, ProtectedDirectory);
                continue;
            }
            if (libstdcxxImage is null)
            {
                libstdcxx = LibStdCxx;
                if (string.IsNullOrEmpty(libstdcxx))
                {
                    Log.LogWarning("TorchSharpDebian12: found no libstdc++.so.6 to check; '{0}' is left unchanged. Set TorchSharpDebian12LibStdCxx to its path.", library);
                    return true;
                }
                if (!File.Exists(libstdcxx))
                {
                    Log.LogError("TorchSharpDebian12: the libstdc++ '{0}' does not exist; set TorchSharpDebian12LibStdCxx to the system's libstdc++.so.6.", libstdcxx);
                    return false;
                }
                try
                {
                    libstdcxxImage = File.ReadAllBytes(libstdcxx);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError("TorchSharpDebian12: could not read the libstdc++ '{0}': {1}", libstdcxx, e.Message);
                    return false;
                }
                if (GlibcxxCompatElf.DefinesVersion(libstdcxxImage, GlibcxxCompatElf.Version))
                {
                    Log.LogMessage(MessageImportance.Low, "TorchSharpDebian12: '{0}' provides {1}; nothing to patch.", libstdcxx, GlibcxxCompatElf.Version);
                    return true;
                }
            }
            if (!PatchLibrary(library, libstdcxx!, libstdcxxImage))
                return false;
        }
        return !Log.HasLoggedErrors;
    }

    private bool PatchLibrary(string library, string libstdcxx, byte[] libstdcxxImage)
    {
        GlibcxxCompatElf.Inspection inspection;
        try
        {
            inspection = GlibcxxCompatElf.Inspect(File.ReadAllBytes(library));
        }
        catch (InvalidDataException e)
        {
            Log.LogError("TorchSharpDebian12: '{0}' {1}; it is left unchanged. Set TorchSharpDebian12Compat=false to skip this step.", library, e.Message);
            return false;
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            Log.LogError("TorchSharpDebian12: could not read '{0}': {1}", library, e.Message);
            return false;
        }

        switch (inspection.State)
        {
            case GlibcxxCompatElf.State.UnsupportedMachine:
                Log.LogWarning("TorchSharpDebian12: '{0}' is for ELF machine {1}, not x86-64 or AArch64; it is left unchanged.", library, inspection.Machine);
                return true;
            case GlibcxxCompatElf.State.VersionNotRequired:
                Log.LogMessage(MessageImportance.Low, "TorchSharpDebian12: '{0}' does not require {1}; nothing to patch.", library, GlibcxxCompatElf.Version);
                return true;
            case GlibcxxCompatElf.State.Patched:
                Log.LogMessage(MessageImportance.Low, "TorchSharpDebian12: '{0}' is already patched.", library);
                return true;
        }

        foreach (string version in inspection.LibStdCxxVersions)
        {
            if (version != GlibcxxCompatElf.Version && !GlibcxxCompatElf.DefinesVersion(libstdcxxImage, version))
                Log.LogWarning("TorchSharpDebian12: '{0}' also requires {1}, which '{2}' lacks; it will still fail to load.", library, version, libstdcxx);
        }

        try
        {
            ReplaceWithPatchedCopy(library);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
        {
            Log.LogError("TorchSharpDebian12: could not patch '{0}': {1}", library, e.Message);
            return false;
        }
        Log.LogMessage(MessageImportance.Normal, "TorchSharpDebian12: patched '{0}' so that it loads without {1}, which '{2}' lacks.", library, GlibcxxCompatElf.Version, libstdcxx);
        return true;
    }

    /// <summary>
    /// Patches a copy beside the library and renames it over the library, so a hard or symbolic link into the NuGet
    /// cache is replaced rather than written through, and a failure leaves the original. The copy keeps the original's
    /// timestamp: with the same size too, the next build's incremental copy sees it as up to date.
    /// </summary>
    private static void ReplaceWithPatchedCopy(string library)
    {
        DateTime written = File.GetLastWriteTimeUtc(library);
        string temporary = library + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.Copy(library, temporary, overwrite: true); // keeps the file mode
            byte[] image = File.ReadAllBytes(temporary);
            GlibcxxCompatElf.Apply(image, GlibcxxCompatElf.Inspect(image));
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
                stream.Write(image, 0, image.Length);
            if (GlibcxxCompatElf.Inspect(File.ReadAllBytes(temporary)).State != GlibcxxCompatElf.State.Patched)
                throw new InvalidDataException("the edited copy '" + temporary + "' does not read back as edited");
            File.SetLastWriteTimeUtc(temporary, written);
            File.Replace(temporary, library, null); // rename(2)
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static bool IsUnder(string path, string? directory)
    {
        if (string.IsNullOrEmpty(directory))
            return false;
        string root = Path.GetFullPath(directory!).TrimEnd('/') + "/";
        return path.StartsWith(root, StringComparison.Ordinal);
    }
}

/// <summary>
/// The ELF edits that let a library built with GCC 13 load with an older libstdc++. GCC 13's &lt;iostream&gt; makes
/// every object reference std::ios_base_library_init() (GLIBCXX_3.4.32) only so that the linker records a libstdc++
/// that initialises the standard streams itself; the function is never called. Three edits of the dynamic-linking
/// tables make that reference optional: in .dynsym the symbol's binding becomes weak, in .gnu.version its entry
/// becomes 1 (global, no version), and in .gnu.version_r the GLIBCXX_3.4.32 requirement gets VER_FLG_WEAK. Only
/// 64-bit little-endian x86-64 and AArch64 files are edited; anything unexpected is an <see cref="InvalidDataException"/>.
/// </summary>
public static class GlibcxxCompatElf
{
    /// <summary>The one symbol that needs <see cref="Version"/>: std::ios_base_library_init().</summary>
    public const string Symbol = "_ZSt21ios_base_library_initv";

    /// <summary>The libstdc++ version first shipped with GCC 13.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>The libstdc++ soname whose versions the library requires.</summary>
    public const string LibStdCxxSoname = "libstdc++.so.6";

    private const int MachineX86_64 = 62, MachineAArch64 = 183;
    private const uint SectionDynsym = 11, SectionVerneed = 0x6ffffffe, SectionVersym = 0x6fffffff;
    private const int BindWeak = 2;
    private const ushort VersionGlobal = 1, VersionFlagWeak = 2, VersionHidden = 0x8000;
    private const int SymbolSize = 24, VerneedSize = 16, VernauxSize = 16;

    /// <summary>What a library needs.</summary>
    public enum State
    {
        /// <summary>The library does not require <see cref="Version"/>: it loads as it is.</summary>
        VersionNotRequired,

        /// <summary>The library requires <see cref="Version"/> for <see cref="Symbol"/> alone: the edits apply.</summary>
        NeedsPatch,

        /// <summary>All three edits are in place.</summary>
        Patched,

        /// <summary>A 64-bit little-endian ELF file for another machine: left alone.</summary>
        UnsupportedMachine,
    }

    /// <summary>The outcome of <see cref="Inspect"/>: the state and where the three edits go.</summary>
    public sealed class Inspection
    {
        internal Inspection(State state, int machine)
        {
            State = state;
            Machine = machine;
        }

        /// <summary>What the library needs.</summary>
        public State State { get; internal set; }

        /// <summary>The ELF e_machine.</summary>
        public int Machine { get; }

        /// <summary>The offset of the symbol's st_info byte in .dynsym.</summary>
        public long SymbolInfoOffset { get; internal set; } = -1;

        /// <summary>The offset of the symbol's 16-bit entry in .gnu.version.</summary>
        public long VersymOffset { get; internal set; } = -1;

        /// <summary>The offset of vna_flags of the <see cref="Version"/> entry in .gnu.version_r.</summary>
        public long VernauxFlagsOffset { get; internal set; } = -1;

        /// <summary>Every version the library requires of libstdc++.so.6.</summary>
        public IList<string> LibStdCxxVersions { get; } = new List<string>();
    }

    /// <summary>Reads the library's dynamic-linking tables; throws <see cref="InvalidDataException"/> saying what is missing or malformed.</summary>
    public static Inspection Inspect(byte[] image)
    {
        var elf = new Reader(image);
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("is not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("is not a 64-bit little-endian ELF file (class " + image[4] + ", data encoding " + image[5] + ")");
        int machine = elf.U16(0x12);
        if (machine != MachineX86_64 && machine != MachineAArch64)
            return new Inspection(State.UnsupportedMachine, machine);

        Section[] sections = elf.Sections();
        Section? dynsym = Find(sections, SectionDynsym, ".dynsym");
        Section? verneed = Find(sections, SectionVerneed, ".gnu.version_r");
        Section? versym = Find(sections, SectionVersym, ".gnu.version");

        var result = new Inspection(State.VersionNotRequired, machine);
        int versionIndex = -1;
        if (verneed != null)
        {
            foreach (Vernaux aux in elf.Vernaux(sections, verneed))
            {
                if (aux.File == LibStdCxxSoname)
                    result.LibStdCxxVersions.Add(aux.Name);
                if (aux.Name != Version)
                    continue;
                if (result.VernauxFlagsOffset >= 0)
                    throw new InvalidDataException("lists " + Version + " twice in .gnu.version_r");
                result.VernauxFlagsOffset = aux.Offset + 4;
                versionIndex = aux.Index;
            }
        }
        if (versionIndex < 0)
            return result;
        if (dynsym == null)
            throw new InvalidDataException("requires " + Version + " but has no .dynsym section");
        if (versym == null)
            throw new InvalidDataException("requires " + Version + " but has no .gnu.version section");

        long count = dynsym.Size / SymbolSize;
        if (versym.Size < count * 2)
            throw new InvalidDataException("has a .gnu.version section shorter than its .dynsym (" + versym.Size / 2 + " of " + count + " entries)");
        Section names = elf.Linked(sections, dynsym, ".dynsym");
        var others = new List<string>();
        for (long i = 1; i < count; i++)
        {
            long symbol = dynsym.Offset + i * SymbolSize;
            long versymEntry = versym.Offset + i * 2;
            string name = elf.String(names, elf.U32(symbol));
            int version = elf.U16(versymEntry) & ~VersionHidden;
            if (name != Symbol)
            {
                if (version == versionIndex)
                    others.Add(name);
                continue;
            }
            if (result.SymbolInfoOffset >= 0)
                throw new InvalidDataException("has " + Symbol + " twice in .dynsym");
            if (elf.U16(symbol + 6) != 0)
                throw new InvalidDataException("defines " + Symbol + " (expected an undefined reference to libstdc++'s)");
            if (version != versionIndex && version != VersionGlobal)
                throw new InvalidDataException("binds " + Symbol + " to version index " + version + ", not " + Version + " (" + versionIndex + ")");
            result.SymbolInfoOffset = symbol + 4;
            result.VersymOffset = versymEntry;
        }
        if (result.SymbolInfoOffset < 0)
            throw new InvalidDataException("requires " + Version + " but has no " + Symbol + " symbol in .dynsym");
        if (others.Count > 0)
            throw new InvalidDataException("requires " + Version + " not only for " + Symbol + " but also for " + string.Join(", ", others) + "; it needs a libstdc++ from GCC 13 or later");

        bool weakSymbol = image[result.SymbolInfoOffset] >> 4 == BindWeak;
        bool unversioned = (elf.U16(result.VersymOffset) & ~VersionHidden) == VersionGlobal;
        bool weakVersion = (elf.U16(result.VernauxFlagsOffset) & VersionFlagWeak) != 0;
        result.State = weakSymbol && unversioned && weakVersion ? State.Patched : State.NeedsPatch;
        return result;
    }

    /// <summary>Applies the three edits to <paramref name="image"/> as <paramref name="inspection"/> located them; a no-op unless it <see cref="State.NeedsPatch"/>.</summary>
    public static void Apply(byte[] image, Inspection inspection)
    {
        if (inspection.State != State.NeedsPatch)
            return;
        long info = inspection.SymbolInfoOffset;
        image[info] = (byte)(BindWeak << 4 | image[info] & 0x0f);
        image[inspection.VersymOffset] = (byte)VersionGlobal;
        image[inspection.VersymOffset + 1] = 0;
        image[inspection.VernauxFlagsOffset] |= (byte)VersionFlagWeak;
        inspection.State = State.Patched;
    }

    /// <summary>Whether a libstdc++ image defines <paramref name="version"/> (its name, NUL-delimited, in the file).</summary>
    public static bool DefinesVersion(byte[] libstdcxx, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        for (int i = 0; i + needle.Length <= libstdcxx.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && libstdcxx[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    private static Section? Find(Section[] sections, uint type, string name)
    {
        Section? found = null;
        foreach (Section section in sections)
        {
            if (section.Type != type)
                continue;
            if (found != null)
                throw new InvalidDataException("has two " + name + " sections");
            found = section;
        }
        return found;
    }

    private sealed class Section
    {
        public uint Type;
        public long Offset, Size;
        public uint Link;
        public uint Info;
    }

    private struct Vernaux
    {
        public string File, Name;
        public int Index;
        public long Offset;
    }

    /// <summary>Bounds-checked little-endian reads; any read outside the file is an <see cref="InvalidDataException"/>.</summary>
    private sealed class Reader
    {
        private readonly byte[] image;

        public Reader(byte[] image) => this.image = image;

        private void Check(long offset, long length)
        {
            if (offset < 0 || length < 0 || offset > image.Length - length)
                throw new InvalidDataException("is truncated or corrupt (a read of " + length + " bytes at offset " + offset + " is past its " + image.Length + " bytes)");
        }

        public int U16(long offset)
        {
            Check(offset, 2);
            return image[offset] | image[offset + 1] << 8;
        }

        public uint U32(long offset)
        {
            Check(offset, 4);
            return (uint)(image[offset] | image[offset + 1] << 8 | image[offset + 2] << 16 | image[offset + 3] << 24);
        }

        /// <summary>A 64-bit offset or size, saturated at long.MaxValue (which no check lets past).</summary>
        public long U64(long offset)
        {
            ulong value = U32(offset) | (ulong)U32(offset + 4) << 32;
            return value > long.MaxValue ? long.MaxValue : (long)value;
        }

        public Section[] Sections()
        {
            long offset = U64(0x28);
            int entrySize = U16(0x3a);
            long count = U16(0x3c);
            if (offset == 0)
                throw new InvalidDataException("has no section headers");
            if (entrySize < 64)
                throw new InvalidDataException("has section headers of " + entrySize + " bytes (expected 64)");
            if (count == 0)
                count = U64(offset + 32); // more than 0xff00 sections: section 0's sh_size holds the count
            if (count > image.Length / entrySize)
                throw new InvalidDataException("is truncated or corrupt (" + count + " section headers of " + entrySize + " bytes in " + image.Length + " bytes)");
            Check(offset, count * entrySize);
            var sections = new Section[count];
            for (long i = 0; i < count; i++)
            {
                long header = offset + i * entrySize;
                sections[i] = new Section { Type = U32(header + 4), Offset = U64(header + 24), Size = U64(header + 32), Link = U32(header + 40), Info = U32(header + 44) };
                if (sections[i].Type == SectionDynsym || sections[i].Type == SectionVerneed || sections[i].Type == SectionVersym)
                    Check(sections[i].Offset, sections[i].Size);
            }
            return sections;
        }

        public Section Linked(Section[] sections, Section section, string name)
        {
            if (section.Link == 0 || section.Link >= sections.Length)
                throw new InvalidDataException("has a " + name + " section without a string table (sh_link " + section.Link + ")");
            Section strings = sections[section.Link];
            Check(strings.Offset, strings.Size);
            return strings;
        }

        public string String(Section strings, uint offset)
        {
            if (offset >= strings.Size)
                throw new InvalidDataException("is corrupt (string offset " + offset + " past its string table of " + strings.Size + " bytes)");
            long start = strings.Offset + offset, end = start, limit = strings.Offset + strings.Size;
            while (end < limit && image[end] != 0)
                end++;
            return Encoding.ASCII.GetString(image, (int)start, (int)(end - start));
        }

        /// <summary>Every Vernaux of .gnu.version_r, following vn_aux/vn_next and vna_next within the section.</summary>
        public List<Vernaux> Vernaux(Section[] sections, Section verneed)
        {
            Section names = Linked(sections, verneed, ".gnu.version_r");
            long end = verneed.Offset + verneed.Size;
            var result = new List<Vernaux>();
            long entry = verneed.Offset;
            for (long n = 1; ; n++)
            {
                if (n > verneed.Size / VerneedSize)
                    throw new InvalidDataException("has a corrupt .gnu.version_r (more entries than fit in the section)");
                if (entry < verneed.Offset || entry > end - VerneedSize)
                    throw new InvalidDataException("has a corrupt .gnu.version_r (an entry at offset " + entry + " is outside the section)");
                string file = String(names, U32(entry + 4));
                long aux = entry + U32(entry + 8);
                for (int k = U16(entry + 2); k > 0; k--)
                {
                    if (aux < verneed.Offset || aux > end - VernauxSize)
                        throw new InvalidDataException("has a corrupt .gnu.version_r (a version of " + file + " at offset " + aux + " is outside the section)");
                    result.Add(new Vernaux { File = file, Name = String(names, U32(aux + 8)), Index = U16(aux + 6) & ~VersionHidden, Offset = aux });
                    uint nextAux = U32(aux + 12);
                    if (nextAux == 0)
                        break;
                    aux += nextAux;
                }
                uint next = U32(entry + 12);
                if (next == 0 || n == verneed.Info)
                    break;
                entry += next;
            }
            return result;
        }
    }
}
