using System.Buffers.Binary;
using System.Text;
using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Tests.Io;

public sealed class SafetensorsTests
{
    private static Dictionary<string, TensorData> Sample()
    {
        var random = new Random(11);
        return new()
        {
            ["encoder.weight"] = TensorData.Create(Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray(), [3, 4]),
            ["special"] = TensorData.Create(new[] { float.NaN, -0f, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC00123) }, [4]),
            ["z.double"] = TensorData.Create(new[] { Math.PI, double.MaxValue, -double.Epsilon }, [3]),
            ["a.mask"] = TensorData.Create(new[] { true, false, true }, [3]),
            ["bytes"] = TensorData.Create(new byte[] { 1, 2, 3, 255, 0 }, [5]),
            ["step"] = TensorData.Scalar(123456789012L),
            ["counts"] = TensorData.Create(new[] { -5, 6 }, [1, 2]),
            ["empty"] = TensorData.Create(Array.Empty<double>(), [0, 4]),
        };
    }

    [Fact]
    public void Every_dtype_and_the_metadata_round_trip_bitwise()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var tensors = Sample();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["config"] = "{\"λ\": 0.3, \"note\": \"<a & b>\"}" };
        Safetensors.Save(path, tensors, metadata);
        var file = Safetensors.Load(path);
        Assert.Equal(tensors.Keys.Order(), file.Tensors.Keys.Order());
        Assert.All(tensors, kv => Assert.True(kv.Value.BitwiseEquals(file.Tensors[kv.Key]), kv.Key));
        Assert.Equal(metadata, file.Metadata);
    }

    [Fact]
    public void The_layout_follows_the_format_spec()
    {
        using var dir = new TempDirectory();
        string path = dir.File("small.safetensors");
        Safetensors.Save(path, new Dictionary<string, TensorData>
        {
            ["b"] = TensorData.Create(new byte[] { 7 }, [1]),
            ["a"] = TensorData.Create(new[] { 1f, 2f }, [2]),
            ["c"] = TensorData.Create(new[] { 3.0 }, [1, 1]),
        });
        byte[] bytes = File.ReadAllBytes(path);
        string json = "{\"c\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}," +
                      "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}," +
                      "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        int padded = (json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json.PadRight(padded), Encoding.UTF8.GetString(bytes, 8, padded));
        var data = bytes.AsSpan(8 + padded);
        Assert.Equal(BitConverter.GetBytes(3.0).Concat(BitConverter.GetBytes(1f)).Concat(BitConverter.GetBytes(2f)).Append((byte)7), data.ToArray());
    }

    [Fact]
    public void Float_tensors_save_and_load_through_the_convenience_api()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var w = Tensor.RandN([2, 5], new Random(3));
        Safetensors.SaveTensors(path, new Dictionary<string, Tensor> { ["w"] = w });
        var back = Safetensors.LoadTensors(path);
        Assert.Equal(w.Shape, back["w"].Shape);
        Assert.Equal(w.Data, back["w"].Data);

        Safetensors.Save(path, new Dictionary<string, TensorData> { ["d"] = TensorData.Scalar(1.0) });
        Assert.Contains("'d' is Float64", Assert.Throws<InvalidDataException>(() => Safetensors.LoadTensors(path)).Message);
    }

    private static byte[] Raw(string header, byte[] data, ulong? declaredLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private const string F32x2 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "tiny", [1, 2, 3], "fewer than the 8-byte header length" },
        { "beyond", Raw(F32x2, new byte[8], declaredLength: 10_000), "header length 10000 runs beyond the end of the file" },
        { "truncated", Raw(F32x2, new byte[5]), "'a' [0, 8) runs beyond the 5-byte data buffer" },
        { "json", Raw("{\"a\":{\"dtype\":\"F32\",", new byte[8]), "not valid JSON" },
        { "notobject", Raw("[1,2]   ", []), "does not start with '{'" },
        { "dtype", Raw("{\"a\":{\"dtype\":\"Q9\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "unsupported dtype 'Q9'" },
        { "f16", Raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8]), "unsupported dtype 'F16'" },
        { "overlap", Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlaps 'a'" },
        { "hole", Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "bytes [0, 4) belong to no tensor" },
        { "tail", Raw(F32x2, new byte[12]), "bytes [8, 12) belong to no tensor" },
        { "size", Raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "needs 16" },
        { "reversed", Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]), "ends before it begins" },
        { "shape", Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]), "shape entry -2" },
        { "offsets", Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", new byte[8]), "\"data_offsets\": [begin, end]" },
        { "metadata", Raw("{\"__metadata__\":{\"k\":1}}", []), "metadata 'k' is a JSON Number" },
        { "duplicate", Raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", new byte[2]), "lists 'a' twice" },
        { "bool", Raw("{\"a\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", [0, 3]), "byte 3" },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void Corrupt_files_throw_one_invalid_data_exception_naming_the_file_and_the_problem(string name, byte[] bytes, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.File($"{name}.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Cutting_a_saved_file_anywhere_is_detected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("full.safetensors");
        Safetensors.Save(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { 0, 7, 8, 20, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..keep]);
            Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        }
    }

    [Fact]
    public void Reserved_or_empty_names_and_null_tensors_are_rejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.safetensors");
        var scalar = TensorData.Scalar(1f);
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, TensorData> { ["__metadata__"] = scalar }));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, TensorData> { [""] = scalar }));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, TensorData> { ["a"] = null! }));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, TensorData>(), new Dictionary<string, string> { ["k"] = null! }));
        Assert.False(File.Exists(path));
    }

    /// <summary>A dictionary whose indexer fails for one key, to interrupt a save half-way through the data.</summary>
    private sealed class FailingDictionary(Dictionary<string, TensorData> inner, string failing) : IReadOnlyDictionary<string, TensorData>
    {
        public TensorData this[string key] => key == failing ? throw new IOException("disk full (simulated)") : inner[key];
        public IEnumerable<string> Keys => inner.Keys;
        public IEnumerable<TensorData> Values => inner.Values;
        public int Count => inner.Count;
        public bool ContainsKey(string key) => inner.ContainsKey(key);
        public bool TryGetValue(string key, out TensorData value) => inner.TryGetValue(key, out value!);
        public IEnumerator<KeyValuePair<string, TensorData>> GetEnumerator() => inner.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void An_interrupted_save_leaves_the_previous_file_intact_and_no_temporary_files()
    {
        using var dir = new TempDirectory();
        string path = dir.File("checkpoint.safetensors");
        var old = new Dictionary<string, TensorData> { ["w"] = TensorData.Create(new[] { 1f, 2f }, [2]) };
        Safetensors.Save(path, old);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => Safetensors.Save(path, new FailingDictionary(Sample(), "z.double")));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }
}
