using System.Diagnostics;
using Disentangle.Data.Hdf5;
using Disentangle.Data;
using Disentangle.Data.Rendering;
using PureHDF;

namespace Disentangle.Tests.Data.Hdf5;

public sealed class Hdf5ShapesTests : IDisposable
{
    // 2·1·2·2·4·3 = 96 grid points: every factor kind, every shape.
    private static readonly ShapesFactors SmallGrid = new([[0.0, 0.5], [0.3], [0.1, 0.6], [0.75, 1.25], [0.0, 1, 2, 3], [-30.0, 0, 30]]);
    private static readonly RenderedShapes Renderer = new(SmallGrid);
    private readonly string _folder = Directory.CreateTempSubdirectory("disentangle-h5-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteSmallFile(string name = "small.h5")
    {
        string path = Path.Combine(_folder, name);
        Hdf5ShapesWriter.Write(path, Renderer, chunkImages: 8);
        return path;
    }

    public static TheoryData<Hdf5Backend> Backends()
    {
        var data = new TheoryData<Hdf5Backend> { Hdf5Backend.Managed };
        if (Hdf5Shapes.NativeAvailable) data.Add(Hdf5Backend.Native);
        return data;
    }

    private static void AssertReadsTheRenderedGrid(string path, Hdf5Backend backend)
    {
        using var file = new Hdf5Shapes(path, SmallGrid, backend) { BlockRows = 7 };   // small blocks exercise the block loop
        Assert.Equal(backend, file.Backend);
        var random = new Random(2);
        var indices = Enumerable.Range(0, 150).Select(_ => random.Next(96)).ToArray();   // unsorted, with repeats
        var images = new byte[indices.Length * ShapesImage.Bytes];
        file.ReadImages(indices, images);
        var expected = new byte[images.Length];
        Renderer.ReadImages(indices, expected);
        Assert.Equal(expected, images);
        var labels = new double[indices.Length * 6];
        file.ReadLabels(indices, labels);
        var raw = new double[6];
        for (int i = 0; i < indices.Length; i++)
        {
            SmallGrid.RawValues(indices[i], raw);
            Assert.Equal(raw, labels.AsSpan(i * 6, 6).ToArray());
        }
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_file_written_with_PureHDF_reads_back_the_rendered_images_and_labels(Hdf5Backend backend) =>
        AssertReadsTheRenderedGrid(WriteSmallFile(), backend);

    [H5pyFact]
    public void A_file_written_by_h5py_reads_the_same_with_both_backends()
    {
        var all = Enumerable.Range(0, 96).ToArray();
        var images = new byte[96 * ShapesImage.Bytes];
        Renderer.ReadImages(all, images);
        var labels = new double[96 * 6];
        for (int i = 0; i < 96; i++) SmallGrid.RawValues(i, labels.AsSpan(i * 6, 6));
        string imagesPath = Path.Combine(_folder, "images.bin"), labelsPath = Path.Combine(_folder, "labels.bin"), h5 = Path.Combine(_folder, "h5py.h5");
        File.WriteAllBytes(imagesPath, images);
        File.WriteAllBytes(labelsPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());
        var run = Process.Start(new ProcessStartInfo("/usr/bin/python3", [H5pyFactAttribute.Script, imagesPath, labelsPath, "96", h5])
        { RedirectStandardError = true })!;
        string error = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, error);
        foreach (Hdf5Backend backend in Backends()) AssertReadsTheRenderedGrid(h5, backend);
    }

    [NativeHdf5Fact]
    public void Native_and_managed_backends_read_identical_bytes()
    {
        string path = WriteSmallFile();
        using var native = new Hdf5Shapes(path, SmallGrid, Hdf5Backend.Native);
        using var managed = new Hdf5Shapes(path, SmallGrid, Hdf5Backend.Managed);
        int[] rows = [95, 0, 17, 18, 19, 64, 3];
        var a = new byte[rows.Length * ShapesImage.Bytes];
        var b = new byte[a.Length];
        native.ReadImages(rows, a);
        managed.ReadImages(rows, b);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(Disentangle.Data.Tasks.LatentNoiseImages.GridPoint)]
    [InlineData(Disentangle.Data.Tasks.LatentNoiseImages.PerturbedLatent)]
    public void With_latent_noise_a_file_batch_is_the_renderers_grid_point_batch_whatever_the_image_option(Disentangle.Data.Tasks.LatentNoiseImages images)
    {
        using var file = new Hdf5Shapes(WriteSmallFile(), SmallGrid);
        var options = new Disentangle.Data.Tasks.TaskBatchOptions(Tasks: 2, InnerShots: 4, OuterShots: 0, LatentNoiseScale: 1.0, Seed: 6, NoisyImages: images);
        var fromFile = new Disentangle.Data.Tasks.TaskBatchSampler(file, options).Sample(0);
        var rendered = new Disentangle.Data.Tasks.TaskBatchSampler(Renderer, options with { NoisyImages = Disentangle.Data.Tasks.LatentNoiseImages.GridPoint }).Sample(0);
        Assert.Equal(rendered.Images.Data, fromFile.Images.Data);
        Assert.Equal(rendered.Latents, fromFile.Latents);
    }

    [Fact]
    public void Grid_values_render_from_the_file_and_off_grid_values_are_refused()
    {
        using var file = new Hdf5Shapes(WriteSmallFile(), SmallGrid);
        Assert.False(file.RendersOffGrid);
        var raw = new double[6];
        SmallGrid.RawValues(41, raw);
        var image = new byte[ShapesImage.Bytes];
        file.Render(raw, image);
        Assert.Equal(Renderer.Render(raw), image);
        raw[5] = 12.5;
        var e = Assert.Throws<ArgumentException>(() => file.Render(raw, image));
        Assert.Contains("not a grid point", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadImages([96], image));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_folder, "nope.h5");
        var e = Assert.Throws<FileNotFoundException>(() => new Hdf5Shapes(path, SmallGrid));
        Assert.Contains(path, e.Message);
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_truncated_or_non_hdf5_file_is_reported(Hdf5Backend backend)
    {
        string path = WriteSmallFile();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => new Hdf5Shapes(path, SmallGrid, backend));
        Assert.Contains("truncated", e.Message);
        Assert.Contains(path, e.Message);
        string text = Path.Combine(_folder, "text.h5");
        File.WriteAllText(text, "not hdf5 at all");
        e = Assert.Throws<InvalidDataException>(() => new Hdf5Shapes(text, SmallGrid, backend));
        Assert.Contains("not an HDF5 file", e.Message);
    }

    private string WriteFile(string name, H5File content)
    {
        string path = Path.Combine(_folder, name);
        content.Write(path);
        return path;
    }

    private static double[] GridLabels(ShapesFactors grid)
    {
        var labels = new double[grid.Count * 6];
        for (int i = 0; i < grid.Count; i++) grid.RawValues(i, labels.AsSpan(i * 6, 6));
        return labels;
    }

    [Theory, MemberData(nameof(Backends))]
    public void Missing_datasets_wrong_shapes_types_and_labels_are_reported(Hdf5Backend backend)
    {
        var labels = GridLabels(SmallGrid);
        var images = new byte[96 * ShapesImage.Bytes];
        var cases = new (string Name, H5File File, string Message)[]
        {
            ("no-images.h5", new H5File { ["labels"] = new H5Dataset<double[]>(labels, fileDims: [96, 6]) }, "no dataset 'images'"),
            ("no-labels.h5", new H5File { ["images"] = new H5Dataset<byte[]>(images, fileDims: [96, 64, 64, 3]) }, "no dataset 'labels'"),
            ("shape.h5", new H5File
            {
                ["images"] = new H5Dataset<byte[]>(images, fileDims: [384, 32, 32, 3]),
                ["labels"] = new H5Dataset<double[]>(labels, fileDims: [96, 6]),
            }, "has shape [384, 32, 32, 3]; expected [N, 64, 64, 3]"),
            ("dtype.h5", new H5File
            {
                ["images"] = new H5Dataset<byte[]>(images, fileDims: [96, 64, 64, 3]),
                ["labels"] = new H5Dataset<float[]>(labels.Select(v => (float)v).ToArray(), fileDims: [96, 6]),
            }, "holds float32; expected float64"),
            ("count.h5", new H5File
            {
                ["images"] = new H5Dataset<byte[]>(images[..(48 * ShapesImage.Bytes)], fileDims: [48, 64, 64, 3]),
                ["labels"] = new H5Dataset<double[]>(labels[..(48 * 6)], fileDims: [48, 6]),
            }, "has 48 images but the factor grid"),
            ("order.h5", new H5File
            {
                ["images"] = new H5Dataset<byte[]>(images, fileDims: [96, 64, 64, 3]),
                ["labels"] = new H5Dataset<double[]>(labels.Reverse().ToArray(), fileDims: [96, 6]),
            }, "mixed-radix order"),
        };
        foreach (var (name, file, message) in cases)
        {
            string path = WriteFile(name, file);
            var e = Assert.Throws<InvalidDataException>(() => new Hdf5Shapes(path, SmallGrid, backend));
            Assert.Contains(message, e.Message);
            Assert.Contains(path, e.Message);
        }
    }
}

/// <summary>A fact that runs only where Debian's /usr/bin/python3 with h5py is installed.</summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_missing = new(FindMissing);

    public H5pyFactAttribute()
    {
        if (s_missing.Value is string reason) Skip = reason;
    }

    /// <summary>tests/fixtures/data_h5py_write.py, found by walking up from the test binaries.</summary>
    public static string Script => s_script.Value ?? throw new FileNotFoundException("tests/fixtures/data_h5py_write.py not found");

    private static readonly Lazy<string?> s_script = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "data_h5py_write.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });

    private static string? FindMissing()
    {
        if (!File.Exists("/usr/bin/python3")) return "/usr/bin/python3 is not installed (apt-get install python3-h5py)";
        if (s_script.Value is null) return "tests/fixtures/data_h5py_write.py is not found above the test binaries";
        try
        {
            var check = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import h5py, numpy"]) { RedirectStandardError = true })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            return check.ExitCode == 0 ? null : "python3-h5py is not installed for /usr/bin/python3 (apt-get install python3-h5py)";
        }
        catch (Exception e)
        {
            return $"/usr/bin/python3 could not be started: {e.Message}";
        }
    }
}
