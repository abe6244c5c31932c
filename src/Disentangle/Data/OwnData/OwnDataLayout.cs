namespace Disentangle.Data.OwnData;

/// <summary>The layout of a user's data file and its checks, shared by the HDF5 and NPZ loaders: <c>images</c> uint8
/// [N, H, W, C] and <c>factors</c> [N, d] (float32, float64, int32 or int64). Every check runs on the headers, before
/// anything is allocated.</summary>
internal static class OwnDataLayout
{
    /// <summary>Name of the image array.</summary>
    public const string Images = "images";

    /// <summary>Name of the factor array.</summary>
    public const string Factors = "factors";

    /// <summary>Fewest samples a file may hold (tasks and the evaluation set draw from them).</summary>
    public const int MinimumSamples = 10;

    /// <summary>The layout, for messages.</summary>
    public const string Expected = "'images' uint8 [N, H, W, C] and 'factors' [N, d] of float32, float64, int32 or int64 (docs/own-data.md)";

    /// <summary>The factor element types accepted, for messages.</summary>
    public const string FactorTypes = "float32, float64, int32 or int64";

    /// <summary>Checks the two shapes against each other and the layout; returns the image shape and d.</summary>
    /// <exception cref="InvalidDataException">A wrong rank, an empty dimension, N below <see cref="MinimumSamples"/>, or row
    /// counts that differ.</exception>
    public static (ImageShape Shape, int Dimension) Check(string path, IReadOnlyList<long> images, IReadOnlyList<long> factors)
    {
        string Text(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
        if (images.Count != 4)
            throw new InvalidDataException($"'{path}': '{Images}' has shape {Text(images)}; expected [N, H, W, C] (a channel axis even for grey images, e.g. [N, H, W, 1]).");
        if (factors.Count != 2)
            throw new InvalidDataException($"'{path}': '{Factors}' has shape {Text(factors)}; expected [N, d] (one row of d factor values per image).");
        if (images[0] != factors[0])
            throw new InvalidDataException($"'{path}': '{Images}' has {images[0]} rows but '{Factors}' has {factors[0]}; they must describe the same N samples.");
        if (images[0] < MinimumSamples)
            throw new InvalidDataException($"'{path}' holds {images[0]} samples; at least {MinimumSamples} are needed.");
        if (images[0] > int.MaxValue)
            throw new InvalidDataException($"'{path}' holds {images[0]} samples; at most {int.MaxValue} are supported.");
        if (images[1] < 1 || images[2] < 1 || images[3] < 1 || images[1] * images[2] * images[3] > int.MaxValue / 4)
            throw new InvalidDataException($"'{path}': '{Images}' has shape {Text(images)}; H, W and C must be at least 1 and an image at most {int.MaxValue / 4} values.");
        if (factors[1] < 1 || factors[1] > 1_000)
            throw new InvalidDataException($"'{path}': '{Factors}' has shape {Text(factors)}; d must be between 1 and 1,000.");
        return (new ImageShape((int)images[1], (int)images[2], (int)images[3]), (int)factors[1]);
    }

    /// <summary>The error for an array of the wrong element type.</summary>
    public static InvalidDataException WrongType(string path, string array, string actual, string expected) =>
        new($"'{path}': '{array}' holds {actual}; expected {expected}.");

    /// <summary>Refuses a file whose images and factors do not fit in the memory available (named as <c>--data</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">They do not fit.</exception>
    public static void EnsureMemory(string path, int count, ImageShape shape, int dimension) =>
        // images once, factors as read, as doubles, standardised and in the nearest-sample index
        MemoryBudget.Ensure((double)count * shape.Bytes + 4.0 * 8 * count * dimension, "Data", path,
            $"the {count:N0} images ({shape}) and factors of the data file");
}
