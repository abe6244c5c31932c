using System.Text.Json;
using Disentangle.Io;

namespace Disentangle.Tests.Io;

/// <summary>Cross-checks with numpy: our .npy files load in numpy.load, numpy.save files load in ours, and our
/// safetensors files load in the spec's reader (tests/fixtures/io_read_safetensors.py).</summary>
public sealed class PythonInteropTests
{
    private static readonly Dictionary<string, (string Descr, TensorData Data)> Arrays = new()
    {
        ["f32"] = ("<f4", TensorData.Create(new[] { 1.5f, float.NaN, -0f, float.NegativeInfinity, 1e-45f, 3.4e38f }, [2, 1, 3])),
        ["f64"] = ("<f8", TensorData.Create(new[] { Math.PI, -1e-300, double.PositiveInfinity }, [3])),
        ["i64"] = ("<i8", TensorData.Create(new[] { long.MinValue, 0L, long.MaxValue, -7L }, [2, 2])),
        ["i32"] = ("<i4", TensorData.Create(new[] { int.MinValue, 42 }, [1, 2])),
        ["u8"] = ("|u1", TensorData.Create(new byte[] { 0, 128, 255 }, [3])),
        ["bool"] = ("|b1", TensorData.Create(new[] { true, false, true, true }, [4, 1])),
        ["scalar"] = ("<f8", TensorData.Scalar(-2.75)),
        ["empty"] = ("<f4", TensorData.Create(Array.Empty<float>(), [3, 0])),
    };

    private static string Hex(TensorData d) => Convert.ToHexStringLower(d.Bytes);

    private static int[] Shape(JsonElement e) => [.. e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32())];

    [PythonFact]
    public void Npy_files_we_write_load_in_numpy_with_the_same_dtype_shape_and_bytes()
    {
        using var dir = new TempDirectory();
        var paths = Arrays.ToDictionary(kv => kv.Key, kv => dir.File(kv.Key + ".npy"));
        foreach (var (name, (_, data)) in Arrays) Npy.Write(paths[name], data);
        var described = JsonDocument.Parse(PythonPeer.RunScript("io_describe_npy.py", [.. paths.Values])).RootElement;
        foreach (var (name, (descr, data)) in Arrays)
        {
            var e = described.GetProperty(paths[name]);
            Assert.Equal(descr, e.GetProperty("dtype").GetString());
            Assert.Equal(data.Shape, Shape(e));
            Assert.False(e.GetProperty("fortran").GetBoolean());
            Assert.True(Hex(data) == e.GetProperty("hex").GetString(), $"{name}: numpy read different values");
        }
    }

    [PythonFact]
    public void Npy_files_written_by_numpy_load_in_ours_including_big_endian()
    {
        using var dir = new TempDirectory();
        var manifest = JsonDocument.Parse(PythonPeer.RunScript("io_write_npy.py", dir.Path)).RootElement;
        int checkedCount = 0;
        foreach (var entry in manifest.EnumerateObject())
        {
            string path = dir.File(entry.Name + ".npy");
            if (entry.Name == "fortran")
            {
                Assert.Contains("Fortran-order", Assert.Throws<InvalidDataException>(() => Npy.Read(path)).Message);
                continue;
            }
            var data = Npy.Read(path);
            Assert.Equal(Shape(entry.Value), data.Shape);
            Assert.Equal(entry.Value.GetProperty("dtype").GetString(), Arrays.Values.First(a => a.Data.DataType == data.DataType).Descr);
            Assert.True(Hex(data) == entry.Value.GetProperty("hex").GetString(), $"{entry.Name}: we read different values than numpy wrote");
            checkedCount++;
        }
        Assert.Equal(9, checkedCount);
    }

    [PythonFact]
    public void Safetensors_files_we_write_are_read_by_the_spec_reader_with_equal_values()
    {
        using var dir = new TempDirectory();
        string path = dir.File("all.safetensors");
        var tensors = Arrays.ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        var metadata = new Dictionary<string, string> { ["config"] = "{\"λ\": 0.3}", ["format"] = "pt" };
        Safetensors.Save(path, tensors, metadata);
        var read = JsonDocument.Parse(PythonPeer.RunScript("io_read_safetensors.py", path)).RootElement;
        Assert.Equal("{\"λ\": 0.3}", read.GetProperty("metadata").GetProperty("config").GetString());
        var back = read.GetProperty("tensors");
        Assert.Equal(tensors.Count, back.EnumerateObject().Count());
        foreach (var (name, (descr, data)) in Arrays)
        {
            var e = back.GetProperty(name);
            Assert.Equal(descr, e.GetProperty("dtype").GetString());
            Assert.Equal(data.Shape, Shape(e));
            Assert.True(Hex(data) == e.GetProperty("hex").GetString(), $"{name}: the spec reader read different values");
        }
    }
}
