using SkiaSharp;

namespace Disentangle.FewShot;

/// <summary>miniImageNet in the Ravi–Larochelle layout: <c>{train,val,test}.csv</c> (header <c>filename,label</c>)
/// and an <c>images/</c> folder of JPEG files (84×84 in the usual release); 64 / 16 / 20 classes of 600 images.</summary>
/// <remarks>Classes are taken in order of first appearance in each CSV. Images are decoded on demand with SkiaSharp,
/// resized to S×S when they differ, and returned CHW in [0, 1].</remarks>
public sealed class MiniImageNet : IFewShotDataset
{
    private readonly Dictionary<FewShotSplit, string[][]> _files;

    private MiniImageNet(Dictionary<FewShotSplit, string[][]> files, int imageSize)
    {
        _files = files;
        ImageSize = imageSize;
    }

    /// <summary>Reads the three CSV files of <paramref name="root"/> (images are decoded later).</summary>
    /// <param name="root">Folder with train.csv, val.csv, test.csv and images/.</param>
    /// <param name="imageSize">Side S of the returned images.</param>
    /// <exception cref="FileNotFoundException">A CSV file or a listed image is missing.</exception>
    /// <exception cref="InvalidDataException">A CSV header or row is malformed.</exception>
    public static MiniImageNet Load(string root, int imageSize = 84)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        var files = new Dictionary<FewShotSplit, string[][]>();
        foreach (var (split, name) in new[] { (FewShotSplit.Train, "train.csv"), (FewShotSplit.Validation, "val.csv"), (FewShotSplit.Test, "test.csv") })
        {
            string path = Path.Combine(root, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"miniImageNet file {path} is missing.", path);
            var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
            if (lines.Length == 0 || lines[0].Trim() != "filename,label")
                throw new InvalidDataException($"{path}: the header must be 'filename,label'.");
            var classes = new Dictionary<string, List<string>>();
            var order = new List<string>();
            for (int i = 1; i < lines.Length; i++)
            {
                var parts = lines[i].Split(',');
                if (parts.Length != 2) throw new InvalidDataException($"{path}:{i + 1}: expected 'filename,label', got '{lines[i]}'.");
                string image = Path.Combine(root, "images", parts[0].Trim());
                if (!File.Exists(image)) throw new FileNotFoundException($"{path}:{i + 1}: image {image} is missing.", image);
                string label = parts[1].Trim();
                if (!classes.TryGetValue(label, out var list)) { classes[label] = list = []; order.Add(label); }
                list.Add(image);
            }
            files[split] = [.. order.Select(l => classes[l].ToArray())];
        }
        return new MiniImageNet(files, imageSize);
    }

    /// <inheritdoc/>
    public string Name => "mini-imagenet";

    /// <inheritdoc/>
    public int Channels => 3;

    /// <inheritdoc/>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public int ClassCount(FewShotSplit split) => _files[split].Length;

    /// <inheritdoc/>
    public int ImageCount(FewShotSplit split, int classIndex)
    {
        var classes = _files[split];
        if ((uint)classIndex >= (uint)classes.Length)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The {split} split of {Name} has {classes.Length} classes.");
        return classes[classIndex].Length;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The file cannot be decoded as an image.</exception>
    public void CopyImage(FewShotSplit split, int classIndex, int imageIndex, Span<float> destination)
    {
        FewShotChecks.Image(this, split, classIndex, imageIndex, destination.Length);
        string path = _files[split][classIndex][imageIndex];
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path}: not a decodable image.");
        var info = new SKImageInfo(ImageSize, ImageSize, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = decoded.Width == ImageSize && decoded.Height == ImageSize && decoded.ColorType == SKColorType.Rgba8888
            ? decoded.Copy() : decoded.Resize(info, new SKSamplingOptions(SKFilterMode.Linear));
        using var rgba = resized.ColorType == SKColorType.Rgba8888 ? resized.Copy() : resized.Copy(SKColorType.Rgba8888);
        var pixels = rgba.GetPixelSpan();
        int area = ImageSize * ImageSize;
        for (int k = 0; k < area; k++)
            for (int c = 0; c < 3; c++) destination[c * area + k] = pixels[4 * k + c] * (1f / 255f);
    }
}
