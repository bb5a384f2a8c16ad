using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>Finds an MNIST-style IDX file in a folder under the names it is distributed with.</summary>
internal static class IdxFileNames
{
    /// <summary>The file stem for a split and kind, e.g. <c>t10k-images-idx3-ubyte</c>.</summary>
    public static string Stem(DatasetSplit split, bool images) =>
        $"{(split == DatasetSplit.Train ? "train" : "t10k")}-{(images ? "images-idx3" : "labels-idx1")}-ubyte";

    /// <summary>
    /// The path of the first candidate that exists: the stem raw or <c>.gz</c>, also with the dot that some
    /// unzip tools leave (<c>train-images.idx3-ubyte</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">None exists; the message lists the names tried.</exception>
    public static string Find(string directory, DatasetSplit split, bool images)
    {
        var stem = Stem(split, images);
        var dotted = stem.Replace(images ? "-images-" : "-labels-", images ? "-images." : "-labels.");
        var candidates = new List<string> { stem, stem + ".gz", dotted, dotted + ".gz" };
        foreach (var name in candidates)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException(
            $"No {(images ? "image" : "label")} file for the {split.ToString().ToLowerInvariant()} split in '{directory}'; looked for " +
            string.Join(", ", candidates.Select(c => $"'{c}'")) + ".",
            Path.Combine(directory, stem + ".gz"));
    }
}
