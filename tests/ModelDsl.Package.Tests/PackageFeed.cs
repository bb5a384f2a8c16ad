using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;

namespace ModelDsl.Package.Tests;

/// <summary>
/// Packs src/Runtime (the ModelDsl package) once into a local folder feed and creates consumer projects that use
/// it. Everything lives in one temporary folder outside the repository, so no Directory.Build.props or central
/// package versions of ours apply: the consumers are as fresh as a user's.
/// </summary>
/// <remarks>
/// Each run packs a unique prerelease version and restores into its own packages folder, so a stale copy in the
/// global NuGet cache can never stand in for the package under test. TorchSharp comes from the global cache
/// (a fallback folder), or from the configured feeds when it is not there.
/// </remarks>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The TorchSharp release the package is built against.</summary>
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>Packs the package and writes the feed's nuget.config.</summary>
    public PackageFeed()
    {
        Root = Directory.CreateTempSubdirectory("modeldsl-package-").FullName;
        FeedFolder = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

        Pack = DotnetCli.Run(DotnetCli.RepositoryRoot(),
            "pack", "src/Runtime/ModelDsl.Runtime.csproj", "-c", "Release", "--no-restore", "-o", FeedFolder, $"-p:Version={Version}");
        PackagePath = Path.Combine(FeedFolder, $"ModelDsl.{Version}.nupkg");

        globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Escape(Path.Combine(Root, "packages"))}" />
              </config>
              <packageSources>
                <add key="modeldsl-local" value="{Escape(FeedFolder)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="global" value="{Escape(globalPackages)}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    private readonly string globalPackages;

    /// <summary>The temporary folder that holds the feed, the packages folder and the consumer projects.</summary>
    public string Root { get; }

    /// <summary>The local folder feed.</summary>
    public string FeedFolder { get; }

    /// <summary>The version packed for this run.</summary>
    public string Version { get; }

    /// <summary>The output of <c>dotnet pack</c>.</summary>
    public CommandResult Pack { get; }

    /// <summary>The packed .nupkg.</summary>
    public string PackagePath { get; }

    /// <summary>
    /// A file of a restored package, <paramref name="relativePath"/> under its id and version folders: from this
    /// feed's packages folder, or the global one that serves as its fallback.
    /// </summary>
    public string PackageFile(string id, string version, string relativePath)
    {
        var folders = new[] { Path.Combine(Root, "packages"), globalPackages };
        var paths = folders.Select(folder => Path.Combine(folder, id.ToLowerInvariant(), version, relativePath)).ToArray();
        return paths.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException($"{relativePath} of {id} {version} is in neither {string.Join(" nor ", folders)}.");
    }

    /// <summary>
    /// Creates a console project <paramref name="name"/> that references ModelDsl and TorchSharp-cpu, with
    /// warnings as errors, and <paramref name="program"/> as its only source file; returns its folder.
    /// </summary>
    public string CreateConsumer(string name, string program)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelDsl" Version="{Version}" />
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

    private static string Escape(string path) => SecurityElement.Escape(path);
}
