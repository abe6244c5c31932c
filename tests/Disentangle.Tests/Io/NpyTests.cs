using System.Text;
using Disentangle.Io;

namespace Disentangle.Tests.Io;

public sealed class NpyTests
{
    public static TheoryData<TensorData> Arrays()
    {
        var random = new Random(7);
        return
        [
            TensorData.Create(new[] { 1.5f, float.NaN, -0f, float.PositiveInfinity, float.Epsilon, -3e38f }, [2, 3]),
            TensorData.Create(Enumerable.Range(0, 24).Select(_ => random.NextDouble() - 0.5).ToArray(), [2, 3, 4]),
            TensorData.Create(new[] { long.MinValue, -1L, 0L, long.MaxValue }, [4]),
            TensorData.Create(new[] { int.MinValue, 7, int.MaxValue }, [3, 1]),
            TensorData.Create(new byte[] { 0, 1, 254, 255, 9 }, [5]),
            TensorData.Create(new[] { true, false, false, true }, [2, 2]),
            TensorData.Scalar(3.25),
            TensorData.Create(Array.Empty<float>(), [0, 3]),
        ];
    }

    [Theory, MemberData(nameof(Arrays))]
    public void Every_supported_dtype_and_shape_round_trips_bitwise(TensorData array)
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.npy");
        Npy.Write(path, array);
        var back = Npy.Read(path);
        Assert.True(array.BitwiseEquals(back), $"{array} came back as {back}");
        Assert.Equal(0, (new FileInfo(path).Length - array.Bytes.Length) % 64);
    }

    [Fact]
    public void The_header_is_exactly_what_numpy_writes()
    {
        // Bytes of numpy 1.24's np.save(np.zeros((2, 3), np.float32)): header padded so the data starts at byte 128.
        var stream = new MemoryStream();
        Npy.Write(stream, TensorData.Create(new float[6], [2, 3]));
        byte[] bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }, bytes[..10]);
        string header = Encoding.ASCII.GetString(bytes, 10, 118);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + new string(' ', 58) + "\n", header);
        Assert.Equal(128 + 24, bytes.Length);

        stream = new MemoryStream();
        Npy.Write(stream, TensorData.Create(new bool[3], [3]));
        Assert.Contains("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public void Huge_headers_switch_to_format_2_and_still_round_trip()
    {
        var shape = Enumerable.Repeat(1, 30_000).ToArray();
        var stream = new MemoryStream();
        Npy.Write(stream, TensorData.Create(new[] { 42L }, shape));
        Assert.Equal(2, stream.ToArray()[6]);
        stream.Position = 0;
        var back = Npy.Read(stream, "memory");
        Assert.Equal(30_000, back.Shape.Length);
        Assert.Equal(42L, back.ScalarValue<long>());
    }

    private static byte[] Handmade(string dict, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var header = Encoding.ASCII.GetBytes(dict.PadRight(total - prefix - 1) + "\n");
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return [.. bytes];
    }

    [Fact]
    public void Big_endian_files_and_version_3_headers_are_read()
    {
        using var dir = new TempDirectory();
        string path = dir.File("be.npy");
        File.WriteAllBytes(path, Handmade("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", [0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE]));
        Assert.Equal(new[] { 258, -2 }, Npy.Read(path).As<int>());
        File.WriteAllBytes(path, Handmade("{\"shape\": (1, 1), \"descr\": \"<f8\", \"fortran_order\": False}", BitConverter.GetBytes(2.5), major: 3));
        Assert.Equal(2.5, Npy.Read(path).As<double>()[0]);
    }

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "magic", "NOTNPY!!"u8.ToArray().Concat(new byte[100]).ToArray(), "not a .npy file" },
        { "short", [0x93, (byte)'N', (byte)'U'], "truncated" },
        { "version", Handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4])[..6].Concat(new byte[] { 9, 0 }).ToArray(), "version 9.0" },
        { "complex", Handmade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "unsupported .npy dtype '<c8'" },
        { "unicode", Handmade("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", new byte[12]), "unsupported .npy dtype '<U3'" },
        { "structured", Handmade("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]), "malformed .npy header" },
        { "fortran", Handmade("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]), "Fortran-order" },
        { "noshape", Handmade("{'descr': '<f4', 'fortran_order': False, }", new byte[4]), "'shape'" },
        { "truncated", Handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new byte[20]), "only 20 left" },
        { "trailing", Handmade("{'descr': '<u1', 'fortran_order': False, 'shape': (3,), }", new byte[5]), "2 unexpected bytes" },
        { "bool", Handmade("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", [1, 7]), "byte 7" },
        { "header", Handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4])[..20], "truncated" },
        { "negative", Handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]), "malformed" },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void Bad_files_throw_invalid_data_naming_the_file_and_the_problem(string name, byte[] bytes, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.File($"{name}.npy");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Writing_unsupported_types_or_mismatched_shapes_is_rejected()
    {
        using var dir = new TempDirectory();
        Assert.Contains("Int16", Assert.Throws<ArgumentException>(() => Npy.Write(dir.File("x.npy"), new short[2], [2])).Message);
        Assert.Contains("[2, 2]", Assert.Throws<ArgumentException>(() => Npy.Write(dir.File("x.npy"), new float[3], [2, 2])).Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
