using System;
using System.Collections.Generic;

namespace ModelDsl.Data;

/// <summary>The contents of one IDX file of unsigned bytes: its dimensions and its payload, row-major.</summary>
/// <param name="FileName">The file's name, for messages.</param>
/// <param name="Dimensions">The sizes from the header, outermost first (e.g. <c>[N, 28, 28]</c> for images).</param>
/// <param name="Data">Exactly the product of <paramref name="Dimensions"/> bytes.</param>
public sealed record IdxData(string FileName, IReadOnlyList<int> Dimensions, byte[] Data)
{
    /// <summary>The outermost dimension: the number of items (images, labels).</summary>
    public int Count => Dimensions.Count == 0 ? 0 : Dimensions[0];
}
