using Disentangle.Data;
using Disentangle.Data.Hdf5;
using Disentangle.Data.OwnData;
using Disentangle.Io;
using Disentangle.Tests.Io;

namespace Disentangle.Tests.Data.OwnData;

public sealed class OwnDataLoaderTests
{
    private const int N = 40;

    [Fact]
    public void An_npz_file_loads_its_images_and_factors_standardised_over_the_data_set()
    {
        using var dir = new TempDirectory();
        BlobData.WriteNpz(dir.File("blobs.npz"), N);
        var data = Assert.IsType<OwnDataset>(DataSources.Open(dir.File("blobs.npz")));
        var (images, factors) = BlobData.Generate(N);
        Assert.Equal(new ImageShape(16, 16, 1), data.Shape);
        Assert.Equal(N, data.Count);
        Assert.Equal(3, data.Factors.Dimension);
        Assert.Equal(["factor_0", "factor_1", "factor_2"], data.Factors.FactorNames);
        var image = new byte[256];
        data.ReadImages([7], image);
        Assert.Equal(images.AsSpan(7 * 256, 256).ToArray(), image);
        var raw = new double[3];
        data.Factors.RawValues(7, raw);
        Assert.Equal(factors.AsSpan(21, 3).ToArray().Select(v => (double)v), raw);
        // standardised over the N samples: mean 0, population variance 1, per factor
        var z = new double[N * 3];
        for (int i = 0; i < N; i++) data.Factors.StandardisedValues(i, z.AsSpan(i * 3, 3));
        for (int f = 0; f < 3; f++)
        {
            var column = Enumerable.Range(0, N).Select(i => z[i * 3 + f]).ToArray();
            Assert.Equal(0, column.Average(), 1e-12);
            Assert.Equal(1, column.Sum(v => v * v) / N, 1e-12);
        }
        Assert.Equal(0.2, data.Factors.Gap(2), 1e-6);   // brightness: 4 levels 0.2 apart (the levels drawn)
    }

    [NativeHdf5Fact]
    public void An_hdf5_file_loads_the_same_data_and_integer_factors_convert()
    {
        using var dir = new TempDirectory();
        BlobData.WriteNpz(dir.File("blobs.npz"), N);
        BlobData.WriteHdf5(dir.File("blobs.h5"), N);
        var npz = (OwnDataset)DataSources.Open(dir.File("blobs.npz"));
        var h5 = (OwnDataset)DataSources.Open(dir.File("blobs.h5"));
        var indices = Enumerable.Range(0, N).Reverse().ToArray();
        var a = new byte[N * 256];
        var b = new byte[N * 256];
        npz.ReadImages(indices, a);
        h5.ReadImages(indices, b);
        Assert.Equal(a, b);
        var (fa, fb) = (new double[3], new double[3]);
        npz.Factors.RawValues(N - 1, fa);
        h5.Factors.RawValues(N - 1, fb);
        Assert.Equal(fa, fb);

        var (images, _) = BlobData.Generate(N);
        var integers = Enumerable.Range(0, N * 2).Select(i => (long)(i % 7 + i / 14)).ToArray();
        BlobData.WriteHdf5(dir.File("ints.hdf5"), images, [N, 16, 16, 1], integers, [N, 2]);
        var ints = DataSources.Open(dir.File("ints.hdf5"));
        ints.Factors.RawValues(5, fa);
        Assert.Equal(new double[] { integers[10], integers[11] }, fa[..2]);
    }

    [Fact]
    public void The_layout_is_told_by_the_datasets_not_the_file_name()
    {
        using var dir = new TempDirectory();
        BlobData.WriteNpz(dir.File("looks-like.h5"), N);
        Assert.IsType<OwnDataset>(DataSources.Open(dir.File("looks-like.h5")));
        File.WriteAllText(dir.File("text.npz"), "not data at all");
        Assert.Contains("neither an HDF5 nor a NumPy .npz file", Assert.Throws<InvalidDataException>(() => DataSources.Open(dir.File("text.npz"))).Message);
        Assert.Throws<FileNotFoundException>(() => DataSources.Open(dir.File("missing.npz")));
    }

    [Fact]
    public void A_file_larger_than_the_memory_available_is_refused_from_its_headers_as_the_data_flag()
    {
        using var dir = new TempDirectory();
        // headers claiming 100,000,000 RGB 64×64 images (1.2 TB), with no data behind them: the check must come first
        NpzArchiveTests.Zip(dir.File("huge.npz"),
            ("images.npy", NpzArchiveTests.NpyBytes("|u1", "(100000000, 64, 64, 3)", []), System.IO.Compression.CompressionLevel.NoCompression),
            ("factors.npy", NpzArchiveTests.NpyBytes("<f4", "(100000000, 3)", []), System.IO.Compression.CompressionLevel.NoCompression));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataSources.Open(dir.File("huge.npz")));
        Assert.Equal("Data", e.ParamName);
        Assert.Contains("TB of memory", e.Message);
    }

    [Fact]
    public void Without_native_libhdf5_float64_factors_load_and_other_types_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        var (images, factors) = BlobData.Generate(N);
        BlobData.WriteHdf5(dir.File("f8.h5"), images, [N, 16, 16, 1], factors.Select(v => (double)v).ToArray(), [N, 3]);
        var data = DataSources.Open(dir.File("f8.h5"), Hdf5Backend.Managed);
        var image = new byte[256];
        data.ReadImages([N - 1], image);
        Assert.Equal(images.AsSpan((N - 1) * 256, 256).ToArray(), image);
        var raw = new double[3];
        data.Factors.RawValues(N - 1, raw);
        Assert.Equal(factors.AsSpan((N - 1) * 3, 3).ToArray().Select(v => (double)v), raw);
        BlobData.WriteHdf5(dir.File("f4.h5"), images, [N, 16, 16, 1], factors, [N, 3]);
        Assert.Contains("only float64 factors can be read", Assert.Throws<InvalidDataException>(() => DataSources.Open(dir.File("f4.h5"), Hdf5Backend.Managed)).Message);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "images without a channel axis", "'images' has shape [40, 16, 16]; expected [N, H, W, C]" },
        { "row counts that differ", "'images' has 40 rows but 'factors' has 39" },
        { "too few samples", "holds 5 samples; at least 10" },
        { "float images", "'images' holds float32; expected uint8" },
        { "boolean factors", "'factors' holds bool; expected float32, float64, int32 or int64" },
        { "a constant factor", "factor 1 is constant" },
        { "a non-finite factor", "factor 2 of sample 3 is NaN" },
        { "no factors", "has no array 'factors'" },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void A_malformed_npz_file_is_refused_with_one_message_naming_the_problem(string name, string fragment)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.npz");
        var (images, factors) = BlobData.Generate(N);
        var goodImages = TensorData.Create(images, [N, 16, 16, 1]);
        var goodFactors = TensorData.Create(factors, [N, 3]);
        switch (name)
        {
            case "images without a channel axis": BlobData.WriteNpz(path, TensorData.Create(images, [N, 16, 16]), goodFactors); break;
            case "row counts that differ": BlobData.WriteNpz(path, goodImages, TensorData.Create(factors[..(39 * 3)], [39, 3])); break;
            case "too few samples": BlobData.WriteNpz(path, TensorData.Create(images[..(5 * 256)], [5, 16, 16, 1]), TensorData.Create(factors[..15], [5, 3])); break;
            case "float images": BlobData.WriteNpz(path, TensorData.Create(images.Select(v => (float)v).ToArray(), [N, 16, 16, 1]), goodFactors); break;
            case "boolean factors": BlobData.WriteNpz(path, goodImages, TensorData.Create(factors.Select(v => v > 5).ToArray(), [N, 3])); break;
            case "a constant factor":
                for (int i = 0; i < N; i++) factors[i * 3 + 1] = 4;
                BlobData.WriteNpz(path, goodImages, TensorData.Create(factors, [N, 3]));
                break;
            case "a non-finite factor":
                factors[3 * 3 + 2] = float.NaN;
                BlobData.WriteNpz(path, goodImages, TensorData.Create(factors, [N, 3]));
                break;
            case "no factors": NpzArchive.Write(path, new Dictionary<string, TensorData> { ["images"] = goodImages, ["labels"] = goodFactors }); break;
        }
        var e = Assert.Throws<InvalidDataException>(() => DataSources.Open(path));
        Assert.Contains(fragment, e.Message);
        Assert.Contains(path, e.Message);
    }

    [NativeHdf5Fact]
    public void A_malformed_hdf5_file_is_refused_by_the_same_checks()
    {
        using var dir = new TempDirectory();
        var (images, factors) = BlobData.Generate(N);
        BlobData.WriteHdf5(dir.File("rank.h5"), images, [N, 16, 16], factors, [N, 3]);
        Assert.Contains("expected [N, H, W, C]", Assert.Throws<InvalidDataException>(() => DataSources.Open(dir.File("rank.h5"))).Message);
        BlobData.WriteHdf5(dir.File("signed.h5"), images.Select(v => (short)v).ToArray(), [N, 16, 16, 1], factors, [N, 3]);
        Assert.Contains("'images' holds int16; expected uint8", Assert.Throws<InvalidDataException>(() => DataSources.Open(dir.File("signed.h5"))).Message);
        for (int i = 0; i < N; i++) factors[i * 3] = 1;
        BlobData.WriteHdf5(dir.File("constant.h5"), images, [N, 16, 16, 1], factors, [N, 3]);
        Assert.Contains("factor 0 is constant", Assert.Throws<InvalidDataException>(() => DataSources.Open(dir.File("constant.h5"))).Message);
    }
}
