using System.IO.Compression;
using Disentangle.FewShot;

namespace Disentangle.Tests.FewShot;

public sealed class FewShotDatasetTests
{
    [Fact]
    public void Shapes_classes_are_split_disjointly_and_images_vary_within_a_class()
    {
        var dataset = new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 16, ImagesPerClass: 5));
        Assert.Equal([256, 64, 80], Enum.GetValues<FewShotSplit>().Select(dataset.ClassCount));
        var all = Enum.GetValues<FewShotSplit>().SelectMany(s => Enumerable.Range(0, dataset.ClassCount(s)).Select(c => dataset.ClassFactors(s, c))).ToList();
        Assert.Equal(400, all.Distinct().Count());
        var a = new float[3 * 16 * 16];
        var b = new float[3 * 16 * 16];
        dataset.CopyImage(FewShotSplit.Test, 3, 0, a);
        dataset.CopyImage(FewShotSplit.Test, 3, 1, b);
        Assert.NotEqual(a, b);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        var again = new float[a.Length];
        new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 16, ImagesPerClass: 5)).CopyImage(FewShotSplit.Test, 3, 0, again);
        Assert.Equal(a, again);
    }

    [Fact]
    public void Shapes_images_of_one_class_share_the_wall_colour()
    {
        // The top-left corner shows the wall, whose hue (colour up to shading) is a class factor: equal within a class,
        // different across wall hues.
        var dataset = new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 16, ImagesPerClass: 4));
        var pixel = new float[3 * 16 * 16];
        float[] Corner(int c, int i) { dataset.CopyImage(FewShotSplit.Train, c, i, pixel); float m = Math.Max(pixel[0], Math.Max(pixel[256], pixel[512])); return [pixel[0] / m, pixel[256] / m, pixel[512] / m]; }
        Assert.All(Corner(0, 0).Zip(Corner(0, 3)), p => Assert.Equal(p.First, p.Second, 0.05f));
        int other = Enumerable.Range(1, 255).First(c => dataset.ClassFactors(FewShotSplit.Train, c).WallHue != dataset.ClassFactors(FewShotSplit.Train, 0).WallHue);
        Assert.Contains(Corner(0, 0).Zip(Corner(other, 0)), p => Math.Abs(p.First - p.Second) > 0.2f);
    }

    [Fact]
    public void Bad_shapes_options_and_indices_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShapesFewShotDataset(new ShapesFewShotOptions(TrainClasses: 300, ValidationClasses: 100)));
        var dataset = new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 16, ImagesPerClass: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.CopyImage(FewShotSplit.Validation, 64, 0, new float[768]));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.CopyImage(FewShotSplit.Validation, 0, 4, new float[768]));
        Assert.Throws<ArgumentException>(() => dataset.CopyImage(FewShotSplit.Validation, 0, 0, new float[10]));
    }

    private static void WriteIdx(string path, int[] shape, byte[] values)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write([0, 0, 8, (byte)shape.Length]);
        foreach (int d in shape) gz.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        gz.Write(values);
    }

    [Fact]
    public void Fashion_mnist_layout_is_split_by_class_and_padded()
    {
        string folder = Directory.CreateTempSubdirectory("fmnist").FullName;
        try
        {
            foreach (var (prefix, perClass) in new[] { ("train", 3), ("t10k", 2) })
            {
                int n = 10 * perClass;
                var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
                var pixels = new byte[n * 784];
                for (int i = 0; i < n; i++) { pixels[i * 784] = labels[i]; pixels[i * 784 + 1] = (byte)(prefix == "train" ? 1 : 2); }
                WriteIdx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), [n, 28, 28], pixels);
                WriteIdx(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), [n], labels);
            }
            Assert.True(FashionMnist.IsAvailable(folder));
            var dataset = FashionMnist.Load(folder);
            Assert.Equal(32, dataset.ImageSize);
            Assert.Equal(5, dataset.ImageCount(FewShotSplit.Train, 0));
            Assert.Equal(2, dataset.ImageCount(FewShotSplit.Validation, 0));
            Assert.Equal(3, dataset.ImageCount(FewShotSplit.Test, 0));
            var image = new float[1024];
            dataset.CopyImage(FewShotSplit.Test, 2, 1, image);   // class 7, from the training file, pixel (0,0) at (2,2)
            Assert.Equal(7, Math.Round(image[2 * 32 + 2] * 255));
            Assert.Equal(1, Math.Round(image[2 * 32 + 3] * 255));
            Assert.Equal(0f, image[0]);
            dataset.CopyImage(FewShotSplit.Validation, 0, 0, image);
            Assert.Equal(5, Math.Round(image[2 * 32 + 2] * 255));
            Assert.Equal(2, Math.Round(image[2 * 32 + 3] * 255));
            File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), [1, 2, 3]);
            Assert.Contains("t10k-labels-idx1-ubyte.gz", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder)).Message);
            File.Delete(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
            Assert.Contains("t10k-labels", Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(folder)).Message);
        }
        finally { Directory.Delete(folder, true); }
    }

    [FashionMnistFact]
    public void Installed_fashion_mnist_has_7000_train_images_per_class()
    {
        var dataset = FashionMnist.Load();
        Assert.All(Enumerable.Range(0, 5), c => Assert.Equal(7000, dataset.ImageCount(FewShotSplit.Train, c)));
        Assert.All(Enumerable.Range(0, 5), c => Assert.Equal(1000, dataset.ImageCount(FewShotSplit.Validation, c)));
        Assert.All(Enumerable.Range(0, 5), c => Assert.Equal(6000, dataset.ImageCount(FewShotSplit.Test, c)));
    }
}
