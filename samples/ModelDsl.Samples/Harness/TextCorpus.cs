using System.Text;
using static System.FormattableString;

namespace ModelDsl.Samples.Harness;

/// <summary>The text a character-level sample trains on.</summary>
public static class TextCorpus
{
    /// <summary>
    /// The file as UTF-8 text (a BOM is skipped). Bytes that are not UTF-8, or many control characters, mean the file is
    /// not text: training still runs, but the vocabulary fills with noise, so a warning says so.
    /// </summary>
    public static string Read(SampleRun run, string path)
    {
        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var text = Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        var invalid = 0;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            invalid = text.Count(c => c == '\uFFFD');
        }
        var control = text.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
        if (invalid > 0 || control > text.Length / 200)
        {
            run.Host.Error.WriteLine(Invariant(
                $"warning: {Path.GetFileName(path)} does not look like UTF-8 text: {invalid:N0} byte sequences are not UTF-8 (read as U+FFFD) and {control:N0} of {text.Length:N0} characters are control codes; the vocabulary will have {text.Distinct().Count():N0} characters. Training on it anyway."));
        }
        return text;
    }
}
