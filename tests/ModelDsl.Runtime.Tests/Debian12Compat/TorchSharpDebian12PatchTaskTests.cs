using System;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Build.Utilities;
using ModelDsl.Build;
using ModelDsl.Runtime.Tests.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>The build task on files in a temporary folder: when it edits, how it writes, and what it refuses.</summary>
[SupportedOSPlatform("linux")]
public sealed class TorchSharpDebian12PatchTaskTests : IDisposable
{
    private static readonly DateTime PackageTime = new(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc);

    private readonly TempDirectory folder = new();
    private readonly RecordingBuildEngine engine = new();

    public void Dispose() => folder.Dispose();

    [LinuxFact]
    public void Edits_the_library_in_place_when_libstdcxx_lacks_the_version()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var library = Library(original);

        Assert.True(Run(library, Debian12LibStdCxx()), string.Join("\n", engine.Errors));

        var edited = File.ReadAllBytes(library);
        Assert.Equal(new SymbolVersionState(2, 1, 3, 2), ElfVersionReader.Read(edited, GlibcxxCompatElf.Symbol, GlibcxxCompatElf.Version));
        Assert.Equal(3, Enumerable.Range(0, edited.Length).Count(i => edited[i] != original[i]));
        // Same size and timestamp as the package's file, so the next incremental copy skips it; same mode.
        Assert.Equal(PackageTime, File.GetLastWriteTimeUtc(library));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(library));
        Assert.Equal([library], Directory.GetFiles(Path.GetDirectoryName(library)!)); // no temporary file left
        Assert.Contains(engine.Messages, m => m.StartsWith($"TorchSharpDebian12: patched '{library}'", StringComparison.Ordinal));
        Assert.Empty(engine.Warnings);
    }

    [LinuxFact]
    public void A_second_run_recognises_the_edit_and_writes_nothing()
    {
        var library = Library(ElfImageBuilder.LikeLibTorchSharp().Build());
        Assert.True(Run(library, Debian12LibStdCxx()));
        var edited = File.ReadAllBytes(library);
        File.SetLastWriteTimeUtc(library, PackageTime.AddHours(1)); // a rewrite would set the time again

        Assert.True(Run(library, Debian12LibStdCxx()));

        Assert.Equal(edited, File.ReadAllBytes(library));
        Assert.Equal(PackageTime.AddHours(1), File.GetLastWriteTimeUtc(library));
        Assert.Contains($"TorchSharpDebian12: '{library}' is already patched.", engine.Messages);
    }

    [LinuxFact]
    public void Leaves_the_library_alone_when_libstdcxx_provides_the_version()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var library = Library(original);
        var libstdcxx = LibStdCxx("GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33");

        Assert.True(Run(library, libstdcxx));

        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Contains($"TorchSharpDebian12: '{libstdcxx}' provides GLIBCXX_3.4.32; nothing to patch.", engine.Messages);
    }

    [LinuxFact]
    public void Replaces_a_link_into_the_package_folder_instead_of_writing_through_it()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var packaged = Path.Combine(Directory.CreateDirectory(folder.File("packages")).FullName, "libLibTorchSharp.so");
        File.WriteAllBytes(packaged, original);
        var library = Path.Combine(Directory.CreateDirectory(folder.File("bin")).FullName, "libLibTorchSharp.so");
        File.CreateSymbolicLink(library, packaged);

        Assert.True(Run(library, Debian12LibStdCxx()));

        Assert.Equal(original, File.ReadAllBytes(packaged));
        Assert.Null(new FileInfo(library).LinkTarget);
        Assert.Equal(2, ElfVersionReader.Read(File.ReadAllBytes(library), GlibcxxCompatElf.Symbol, GlibcxxCompatElf.Version).Binding);
    }

    [LinuxFact]
    public void Refuses_a_library_inside_the_protected_folder()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var library = Library(original);

        Assert.True(Run(library, Debian12LibStdCxx(), protectedDirectory: folder.Path + "/"));

        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Equal([$"TorchSharpDebian12: not patching '{library}': it is inside the NuGet package folder '{folder.Path}/'."], engine.Warnings);
    }

    [LinuxFact]
    public void A_file_that_is_not_what_is_expected_is_an_error_naming_it_and_stays_as_it_was()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Imports("_ZNSt3pmr20get_default_resourceEv", GlibcxxCompatElf.Version).Build();
        var library = Library(original);

        Assert.False(Run(library, Debian12LibStdCxx()));

        var error = Assert.Single(engine.Errors);
        Assert.StartsWith($"TorchSharpDebian12: '{library}' requires GLIBCXX_3.4.32 not only for _ZSt21ios_base_library_initv but also for _ZNSt3pmr20get_default_resourceEv", error, StringComparison.Ordinal);
        Assert.EndsWith("it is left unchanged. Set TorchSharpDebian12Compat=false to skip this step.", error, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(library)!));
    }

    [LinuxFact]
    public void A_library_for_another_machine_is_a_warning_and_stays_as_it_was()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp(machine: 243).Build();
        var library = Library(original);

        Assert.True(Run(library, Debian12LibStdCxx()));

        Assert.Equal([$"TorchSharpDebian12: '{library}' is for ELF machine 243, not x86-64 or AArch64; it is left unchanged."], engine.Warnings);
        Assert.Equal(original, File.ReadAllBytes(library));
    }

    [LinuxFact]
    public void Warns_when_libstdcxx_also_lacks_another_required_version()
    {
        var library = Library(ElfImageBuilder.LikeLibTorchSharp().Build());
        var libstdcxx = LibStdCxx("GLIBCXX_3.4", "GLIBCXX_3.4.30"); // no CXXABI_1.3

        Assert.True(Run(library, libstdcxx));

        Assert.Equal([$"TorchSharpDebian12: '{library}' also requires CXXABI_1.3, which '{libstdcxx}' lacks; it will still fail to load."], engine.Warnings);
    }

    [LinuxFact]
    public void A_missing_libstdcxx_is_an_error_and_none_found_is_a_warning()
    {
        var original = ElfImageBuilder.LikeLibTorchSharp().Build();
        var library = Library(original);
        var missing = folder.File("no-such-libstdc++.so.6");

        Assert.False(Run(library, missing));
        Assert.Equal([$"TorchSharpDebian12: the libstdc++ '{missing}' does not exist; set TorchSharpDebian12LibStdCxx to the system's libstdc++.so.6."], engine.Errors);

        Assert.True(Run(library, ""));
        Assert.Equal([$"TorchSharpDebian12: found no libstdc++.so.6 to check; '{library}' is left unchanged. Set TorchSharpDebian12LibStdCxx to its path."], engine.Warnings);
        Assert.Equal(original, File.ReadAllBytes(library));
    }

    private bool Run(string library, string libstdcxx, string? protectedDirectory = null) =>
        new TorchSharpDebian12Patch
        {
            BuildEngine = engine,
            Libraries = [new TaskItem(library)],
            LibStdCxx = libstdcxx,
            ProtectedDirectory = protectedDirectory ?? folder.File("nuget-packages"),
        }.Execute();

    /// <summary>Writes the library as the package has it: its timestamp and mode.</summary>
    private string Library(byte[] image)
    {
        var library = Path.Combine(Directory.CreateDirectory(folder.File("runtimes/linux-x64/native")).FullName, "libLibTorchSharp.so");
        File.WriteAllBytes(library, image);
        File.SetUnixFileMode(library, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(library, PackageTime);
        return library;
    }

    /// <summary>Debian 12's libstdc++ versions: up to GLIBCXX_3.4.30.</summary>
    private string Debian12LibStdCxx() => LibStdCxx("GLIBCXX_3.4", "GLIBCXX_3.4.29", "GLIBCXX_3.4.30", "CXXABI_1.3");

    /// <summary>A stand-in libstdc++ whose string table defines <paramref name="versions"/>.</summary>
    private string LibStdCxx(params string[] versions)
    {
        var path = folder.File($"libstdc++-{Guid.NewGuid():N}.so.6");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("\u007fELF\0" + string.Join("\0", versions) + "\0"));
        return path;
    }
}
