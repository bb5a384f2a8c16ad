using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using System.Xml.Linq;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The generator must load in the compiler of the SDK users build with (docs/architecture.md, "Decisions worth knowing"): the .NET SDK 10.0.401 ships
/// Roslyn 5.9.0, and a generator built against a newer Microsoft.CodeAnalysis is rejected with CS9057.
/// </summary>
public sealed class RoslynPinTests
{
    /// <summary>The Roslyn of the oldest SDK we support (.NET SDK 10.0.401).</summary>
    private static readonly Version SdkCompiler = new(5, 9, 0);

    [Theory]
    [InlineData("Microsoft.CodeAnalysis")]
    [InlineData("Microsoft.CodeAnalysis.CSharp")]
    public void Generator_references_a_Roslyn_no_newer_than_the_SDK_compiler(string assemblyName)
    {
        AssemblyName reference = Assert.Single(
            typeof(ModelGenerator).Assembly.GetReferencedAssemblies(),
            a => string.Equals(a.Name, assemblyName, StringComparison.Ordinal));

        Assert.NotNull(reference.Version);
        Assert.True(
            Normalize(reference.Version!) <= SdkCompiler,
            $"The generator references {assemblyName} {reference.Version}, newer than the SDK compiler's {SdkCompiler}: it would fail to load with CS9057.");
    }

    [Fact]
    public void Central_package_pin_is_no_newer_than_the_SDK_compiler_and_is_what_the_generator_was_built_against()
    {
        Version pinned = PinnedVersion("Microsoft.CodeAnalysis.CSharp");

        Assert.True(pinned <= SdkCompiler, $"Directory.Packages.props pins Microsoft.CodeAnalysis.CSharp {pinned}, newer than the SDK compiler's {SdkCompiler}.");

        AssemblyName reference = typeof(ModelGenerator).Assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis");
        Assert.Equal(pinned, Normalize(reference.Version!));
    }

    [Fact]
    public void Generator_project_uses_the_central_pin_without_an_override()
    {
        string project = Path.Combine(DiagnosticTests.RepositoryRoot(), "src", "Generator", "ModelDsl.Generator.csproj");
        XElement reference = XDocument.Load(project).Descendants("PackageReference")
            .Single(e => (string?)e.Attribute("Include") == "Microsoft.CodeAnalysis.CSharp");

        Assert.Null(reference.Attribute("Version"));
        Assert.Null(reference.Attribute("VersionOverride"));
        Assert.Equal("all", (string?)reference.Attribute("PrivateAssets"));
    }

    [Fact]
    public void Generator_targets_netstandard2_0()
    {
        TargetFrameworkAttribute? framework = typeof(ModelGenerator).Assembly.GetCustomAttribute<TargetFrameworkAttribute>();

        Assert.Equal(".NETStandard,Version=v2.0", framework?.FrameworkName);
    }

    private static Version PinnedVersion(string package)
    {
        string props = Path.Combine(DiagnosticTests.RepositoryRoot(), "Directory.Packages.props");
        XElement element = XDocument.Load(props).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package);
        string text = (string?)element.Attribute("Version") ?? throw new InvalidOperationException($"{package} has no Version in {props}.");
        return Normalize(Version.Parse(text));
    }

    // 4.14.0.0 (assembly) and 4.14.0 (package) compare equal.
    private static Version Normalize(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0));
}
