using System;
using System.IO;

namespace ModelDsl.IO;

/// <summary>
/// Replaces a file all at once: the content goes to <c>path.tmp</c> in the same folder, is flushed to disk,
/// and is then renamed over <c>path</c>. The rename is the commit point, so a crash or exception mid-write
/// leaves the previous file as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary name used while <paramref name="path"/> is being written.</summary>
    public static string TempPath(string path) => Path.GetFullPath(path) + ".tmp";

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>, which must not close the stream.</summary>
    /// <remarks>
    /// A stale <c>.tmp</c> from an earlier crash is overwritten. If <paramref name="write"/> throws, the temporary
    /// file is deleted and the exception propagates. The folder entry itself is not fsynced (.NET has no API for
    /// that); on a power cut the rename may be lost, but never half-applied.
    /// </remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var temp = TempPath(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more; a stale .tmp is harmless and overwritten next time.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
