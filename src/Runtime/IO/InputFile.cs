using System.IO;

namespace ModelDsl.IO;

/// <summary>Opens a file that a loader reads, with messages that say what the path is when it is not a file.</summary>
internal static class InputFile
{
    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">What the file should be, with its article, for messages: "a checkpoint", "an IDX".</param>
    /// <exception cref="FileNotFoundException">Nothing is there, or a folder is.</exception>
    public static FileStream OpenRead(string path, string kind)
    {
        // File.OpenRead on a folder says "Access to the path is denied", which sends one looking at permissions.
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{path}' is a folder, not {kind} file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no file at '{path}' ({kind} file was expected).", path);
        return File.OpenRead(path);
    }
}
