using System;
using ModelDsl.Data;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>Points <see cref="DataPaths.FashionMnistDirectory"/> at a folder for a test's duration (the suite runs its classes one at a time).</summary>
internal sealed class FashionMnistLocation : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable(DataPaths.FashionMnistVariable);

    public FashionMnistLocation(string directory) => Environment.SetEnvironmentVariable(DataPaths.FashionMnistVariable, directory);

    public void Dispose() => Environment.SetEnvironmentVariable(DataPaths.FashionMnistVariable, _previous);
}
