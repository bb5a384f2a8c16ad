using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// Does what README.md's "Use it in your project" says, once for all the package tests: packs the three packages
/// with the README's command into the feed folder of an application repository, writes the README's
/// <c>nuget.config</c> beside it, and creates console projects there. Everything lives in one temporary folder
/// outside this repository, so no Directory.Build.props or central package versions of ours apply: the
/// application is as fresh as a user's.
/// </summary>
/// <remarks>
/// <para>
/// The pack adds <c>--no-restore</c> to the README's command: the packed projects are this test project's
/// references, so its build has restored them, and a restore under the new version would rewrite their obj
/// folders while other test projects may be building from them.
/// </para>
/// <para>
/// The applications restore into a packages folder of their own (<c>NUGET_PACKAGES</c>), with the global one as a
/// fallback folder (<c>NUGET_FALLBACK_PACKAGES</c>) for TorchSharp's large native packages, so a run adds nothing
/// to the global folder; the time-stamped version makes each run's packages new in any case.
/// </para>
/// </remarks>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The TorchSharp release the packages are built against.</summary>
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>The packages, core first.</summary>
    public static readonly IReadOnlyList<string> PackageIds = ["ModelDsl", "ModelDsl.Training", "ModelDsl.Models", "ModelDsl.Inference"];

    private readonly string globalPackages;

    /// <summary>Packs the packages and writes the application's nuget.config.</summary>
    public PackageFeed()
    {
        var repository = DotnetCli.RepositoryRoot();
        Readme = ReadmeSetup.Read(repository);
        Root = Directory.CreateTempSubdirectory("modeldsl-package-").FullName;
        AppFolder = Directory.CreateDirectory(Path.Combine(Root, "app")).FullName;
        FeedFolder = Path.Combine(AppFolder, Readme.FeedFolderName);

        var timeStamp = DateTime.UtcNow.ToString(ReadmeSetup.TimeStampFormat, CultureInfo.InvariantCulture);
        var arguments = Readme.PackArguments(FeedFolder, timeStamp).ToList();
        arguments.Insert(arguments.IndexOf("pack") + 1, "--no-restore");
        Pack = DotnetCli.Run(repository, [.. arguments]);
        Version = Directory.Exists(FeedFolder) ? CoreVersion(FeedFolder) : "(not packed)";

        File.WriteAllText(Path.Combine(AppFolder, "nuget.config"), Readme.NuGetConfig);
        globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        AppEnvironment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
            ["NUGET_FALLBACK_PACKAGES"] = globalPackages,
        };
    }

    /// <summary>The README's setup.</summary>
    public ReadmeSetup Readme { get; }

    /// <summary>The temporary folder that holds the application and its packages folder.</summary>
    public string Root { get; }

    /// <summary>The application's repository: nuget.config, the feed folder and the console projects.</summary>
    public string AppFolder { get; }

    /// <summary>The application's feed folder, where the pack command writes.</summary>
    public string FeedFolder { get; }

    /// <summary>The version packed for this run.</summary>
    public string Version { get; }

    /// <summary>The output of the pack command.</summary>
    public CommandResult Pack { get; }

    /// <summary>The environment the application's <c>dotnet</c> commands run with (its own packages folder).</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment { get; }

    /// <summary>The packed .nupkg of <paramref name="id"/>.</summary>
    public string PackagePath(string id) => Path.Combine(FeedFolder, $"{id}.{Version}.nupkg");

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in an application project's folder.</summary>
    public CommandResult Dotnet(string folder, params string[] arguments) => DotnetCli.Run(folder, AppEnvironment, arguments);

    /// <summary>Fails the calling test with the pack's output unless the pack succeeded.</summary>
    public void AssertPacked() => Assert.True(Pack.ExitCode == 0, Pack.ToString());

    /// <summary>
    /// A file of a restored package, <paramref name="relativePath"/> under its id and version folders: from the
    /// application's packages folder, or the global one that serves as its fallback.
    /// </summary>
    public string PackageFile(string id, string version, string relativePath)
    {
        var folders = new[] { AppEnvironment["NUGET_PACKAGES"], globalPackages };
        var paths = folders.Select(folder => Path.Combine(folder, id.ToLowerInvariant(), version, relativePath)).ToArray();
        return paths.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException($"{relativePath} of {id} {version} is in neither {string.Join(" nor ", folders)}.");
    }

    /// <summary>
    /// Creates a console project <paramref name="name"/> in the application's repository that references
    /// <paramref name="packageIds"/> at this run's version and TorchSharp-cpu, with warnings as errors, and
    /// <paramref name="program"/> as its only source file; returns its folder.
    /// </summary>
    public string CreateConsumer(string name, string program, params string[] packageIds)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppFolder, name)).FullName;
        var references = string.Concat(packageIds.Select(id => $"""

                <PackageReference Include="{id}" Version="{Version}" />
            """));
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>{references}
                <PackageReference Include="TorchSharp-cpu" Version="{TorchSharpVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        return folder;
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is in the temporary directory anyway.
        }
    }

    // The version is the README command's: read it from the core package rather than assume the base version.
    private static string CoreVersion(string feedFolder)
    {
        var core = Directory.GetFiles(feedFolder, "ModelDsl.*.nupkg")
            .FirstOrDefault(path => char.IsAsciiDigit(Path.GetFileName(path)["ModelDsl.".Length]));
        if (core is null)
            return "(not packed)";
        using var package = ZipFile.OpenRead(core);
        using var stream = package.GetEntry("ModelDsl.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        return (string)nuspec.Descendants(nuspec.Root!.Name.Namespace + "version").Single();
    }
}
