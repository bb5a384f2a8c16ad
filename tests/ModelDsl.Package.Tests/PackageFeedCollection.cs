using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>The package tests share one pack: it builds the three packages in Release, which takes a while.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed from README";
}
