namespace Disentangle.FewShot;

/// <summary>Fashion-MNIST as a few-shot benchmark with a disjoint class split.</summary>
/// <remarks>Classes 0–4 (T-shirt, trouser, pullover, dress, coat) are the train split, with all 7,000 images of each
/// (both files). Classes 5–9 (sandal, shirt, sneaker, bag, ankle boot) are held out: the test split uses their 6,000
/// images from the training file and the validation split their 1,000 images from the t10k file — the same classes,
/// disjoint images, because 10 classes cannot give three disjoint 5-class splits. Images are 28×28 grey, zero-padded
/// to <c>imageSize</c> (32 by default, so that four 2×2 poolings keep a 2×2 map).</remarks>
public static class FashionMnist
{
    /// <summary>Where the Debian package dataset-fashion-mnist installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    private const int Side = 28;

    /// <summary>Whether the four gzipped IDX files are in <paramref name="folder"/>.</summary>
    public static bool IsAvailable(string folder = DefaultFolder) => FileNames.All(f => File.Exists(Path.Combine(folder, f)));

    private static string[] FileNames => ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Loads the four files of <paramref name="folder"/> into the split above.</summary>
    /// <param name="folder">Folder with <c>{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz</c>.</param>
    /// <param name="imageSize">Side after zero padding, ≥ 28.</param>
    /// <exception cref="FileNotFoundException">A file is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">A file is not a 28×28 image file or a label file of matching length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="imageSize"/> &lt; 28.</exception>
    public static InMemoryFewShotDataset Load(string folder = DefaultFolder, int imageSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, Side);
        foreach (var name in FileNames)
            if (!File.Exists(Path.Combine(folder, name)))
                throw new FileNotFoundException($"Fashion-MNIST file {Path.Combine(folder, name)} is missing (install dataset-fashion-mnist or pass the folder).", Path.Combine(folder, name));
        var train = ByClass(folder, "train", imageSize);
        var test = ByClass(folder, "t10k", imageSize);
        var classes = new Dictionary<FewShotSplit, byte[][]>
        {
            [FewShotSplit.Train] = [.. Enumerable.Range(0, 5).Select(c => (byte[])[.. train[c], .. test[c]])],
            [FewShotSplit.Validation] = [.. Enumerable.Range(5, 5).Select(c => test[c])],
            [FewShotSplit.Test] = [.. Enumerable.Range(5, 5).Select(c => train[c])],
        };
        return new InMemoryFewShotDataset("fashion-mnist", 1, imageSize, classes);
    }

    private static byte[][] ByClass(string folder, string prefix, int imageSize)
    {
        string imagePath = Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), labelPath = Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz");
        var (shape, pixels) = IdxFile.Read(imagePath);
        var (labelShape, labels) = IdxFile.Read(labelPath);
        if (shape is not [_, Side, Side]) throw new InvalidDataException($"{imagePath}: images of shape [{string.Join(", ", shape)}], expected [n, 28, 28].");
        if (labelShape is not [_] || labelShape[0] != shape[0]) throw new InvalidDataException($"{labelPath}: {labels.Length} labels for {shape[0]} images.");
        int pad = (imageSize - Side) / 2, bytes = imageSize * imageSize;
        var blocks = new List<byte>[10];
        for (int c = 0; c < 10; c++) blocks[c] = [];
        var padded = new byte[bytes];
        for (int i = 0; i < shape[0]; i++)
        {
            if (labels[i] > 9) throw new InvalidDataException($"{labelPath}: label {labels[i]} at {i} is not in 0–9.");
            for (int y = 0; y < Side; y++)
                pixels.AsSpan((i * Side + y) * Side, Side).CopyTo(padded.AsSpan((y + pad) * imageSize + pad, Side));
            blocks[labels[i]].AddRange(padded);
        }
        return [.. blocks.Select(b => b.ToArray())];
    }
}
