using System;
using Xunit;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>A fact about Linux files (ELF libraries, /proc, Unix modes and links): skipped on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only";
    }
}
