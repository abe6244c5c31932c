using Disentangle.Data;
using Disentangle.Data.Rendering;
using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>The embedded few-shot benchmark: 400 classes = shape × object hue × wall hue of the 3D Shapes renderer
/// (4 × 10 × 10), rendered on demand, so nothing needs downloading.</summary>
/// <remarks>Within a class, the floor hue (uniform in [0, 0.9]), scale (uniform in [0.75, 1.25]) and orientation
/// (uniform in [−30°, 30°]) vary continuously; image i of class c is a fixed function of (seed, c, i). Classes are split
/// disjointly at random (seeded) into train / validation / test. Images are rendered at 64×64 and box-filtered to
/// S×S; each rendered image is kept (as bytes) once drawn.</remarks>
public sealed class ShapesFewShotDataset : IFewShotDataset
{
    /// <summary>Number of classes: 4 shapes × 10 object hues × 10 wall hues.</summary>
    public const int TotalClasses = 400;

    private readonly RenderedShapes _renderer = new(cacheCapacity: 0);
    private readonly Dictionary<FewShotSplit, int[]> _classes;
    private readonly byte[]?[] _images;
    private readonly SeededRandom _root;

    /// <summary>Creates the benchmark (renders nothing yet).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ShapesFewShotDataset(ShapesFewShotOptions? options = null)
    {
        Options = options ?? new ShapesFewShotOptions();
        Options.Validate();
        _root = new SeededRandom(Options.Seed);
        var order = Enumerable.Range(0, TotalClasses).ToArray();
        _root.Fork(-1).Shuffle(order);
        int train = Options.TrainClasses, validation = Options.ValidationClasses;
        _classes = new()
        {
            [FewShotSplit.Train] = order[..train],
            [FewShotSplit.Validation] = order[train..(train + validation)],
            [FewShotSplit.Test] = order[(train + validation)..],
        };
        _images = new byte[TotalClasses * Options.ImagesPerClass][];
    }

    /// <summary>The options.</summary>
    public ShapesFewShotOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "shapes";

    /// <inheritdoc/>
    public int Channels => 3;

    /// <inheritdoc/>
    public int ImageSize => Options.ImageSize;

    /// <inheritdoc/>
    public int ClassCount(FewShotSplit split) => _classes[split].Length;

    /// <inheritdoc/>
    public int ImageCount(FewShotSplit split, int classIndex)
    {
        if ((uint)classIndex >= (uint)_classes[split].Length)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The {split} split of {Name} has {_classes[split].Length} classes.");
        return Options.ImagesPerClass;
    }

    /// <summary>The (shape, object hue index, wall hue index) of class <paramref name="classIndex"/> of a split.</summary>
    public (int Shape, int ObjectHue, int WallHue) ClassFactors(FewShotSplit split, int classIndex)
    {
        int global = _classes[split][classIndex];
        return (global / 100, global / 10 % 10, global % 10);
    }

    /// <inheritdoc/>
    public void CopyImage(FewShotSplit split, int classIndex, int imageIndex, Span<float> destination)
    {
        FewShotChecks.Image(this, split, classIndex, imageIndex, destination.Length);
        int global = _classes[split][classIndex];
        int slot = global * Options.ImagesPerClass + imageIndex;
        var image = Volatile.Read(ref _images[slot]) ?? Interlocked.CompareExchange(ref _images[slot], Render(global, imageIndex), null) ?? _images[slot]!;
        for (int k = 0; k < image.Length; k++) destination[k] = image[k] * (1f / 255f);
    }

    /// <summary>Renders one image at 64×64 and box-filters it to S×S, CHW bytes.</summary>
    private byte[] Render(int globalClass, int imageIndex)
    {
        var random = _root.Fork((long)globalClass * Options.ImagesPerClass + imageIndex);
        var hues = ShapesFactors.Shapes3D.Values(ShapesFactors.ObjectHue);
        Span<double> raw = stackalloc double[ShapesFactors.FactorCount];
        raw[ShapesFactors.FloorHue] = 0.9 * random.NextDouble();
        raw[ShapesFactors.WallHue] = hues[globalClass % 10];
        raw[ShapesFactors.ObjectHue] = hues[globalClass / 10 % 10];
        raw[ShapesFactors.Scale] = 0.75 + 0.5 * random.NextDouble();
        raw[ShapesFactors.Shape] = globalClass / 100;
        raw[ShapesFactors.Orientation] = -30 + 60 * random.NextDouble();
        var hwc = _renderer.Render(raw);
        int s = Options.ImageSize, f = ShapesImage.Width / s;
        var chw = new byte[3 * s * s];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < s; y++)
                for (int x = 0; x < s; x++)
                {
                    int sum = 0;   // mean of the f×f block
                    for (int dy = 0; dy < f; dy++)
                        for (int dx = 0; dx < f; dx++) sum += hwc[((y * f + dy) * ShapesImage.Width + x * f + dx) * 3 + c];
                    chw[(c * s + y) * s + x] = (byte)((sum + f * f / 2) / (f * f));
                }
        return chw;
    }
}
