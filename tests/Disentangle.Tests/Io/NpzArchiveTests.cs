using System.IO.Compression;
using System.Text;
using Disentangle.Io;

namespace Disentangle.Tests.Io;

public sealed class NpzArchiveTests
{
    // The bytes numpy writes for np.save of np.array([1.5, -2.0]) (float64), with a header padded to 128 bytes.
    internal static byte[] NpyBytes(string descr, string shape, byte[] data, string fortran = "False")
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";
        int headerLength = 128 - 10;
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)headerLength, 0 };
        bytes.AddRange(Encoding.ASCII.GetBytes(dict.PadRight(headerLength - 1) + "\n"));
        bytes.AddRange(data);
        return [.. bytes];
    }

    internal static void Zip(string path, params (string Entry, byte[] Bytes, CompressionLevel Level)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, bytes, level) in entries)
        {
            using var stream = zip.CreateEntry(entry, level).Open();
            stream.Write(bytes);
        }
    }

    [Fact]
    public void Arrays_of_known_bytes_read_back_from_stored_and_deflated_entries()
    {
        using var dir = new TempDirectory();
        byte[] doubles = [.. BitConverter.GetBytes(1.5), .. BitConverter.GetBytes(-2.0)];
        Zip(dir.File("a.npz"),
            ("x.npy", NpyBytes("<f8", "(2,)", doubles), CompressionLevel.NoCompression),
            ("pixels.npy", NpyBytes("|u1", "(2, 2)", [0, 9, 200, 255]), CompressionLevel.Optimal),
            ("counts.npy", NpyBytes("<i4", "(1, 2)", [.. BitConverter.GetBytes(-7), .. BitConverter.GetBytes(70_000)]), CompressionLevel.Optimal));
        using var npz = new NpzArchive(dir.File("a.npz"));
        Assert.Equal(["x", "pixels", "counts"], npz.Names);
        Assert.Equal(new[] { 1.5, -2.0 }, npz.Read("x").As<double>());
        var (type, shape) = npz.Describe("pixels");
        Assert.Equal(DataType.UInt8, type);
        Assert.Equal([2, 2], shape);
        Assert.Equal(new byte[] { 0, 9, 200, 255 }, npz.Read("pixels").As<byte>());
        Assert.Equal(new[] { -7, 70_000 }, npz.Read("counts").As<int>());
        Assert.False(npz.Contains("y"));
        Assert.Contains("holds no array 'y' (it holds: x, pixels, counts)", Assert.Throws<InvalidDataException>(() => npz.Read("y")).Message);
    }

    [Fact]
    public void Write_produces_what_read_reads_and_each_entry_is_a_plain_npy_file()
    {
        using var dir = new TempDirectory();
        var a = TensorData.Create(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [3, 2]);
        var b = TensorData.Create(new long[] { -1, long.MaxValue }, [2]);
        NpzArchive.Write(dir.File("w.npz"), new Dictionary<string, TensorData> { ["a"] = a, ["b"] = b });
        using (var npz = new NpzArchive(dir.File("w.npz")))
        {
            Assert.True(a.BitwiseEquals(npz.Read("a")));
            Assert.True(b.BitwiseEquals(npz.Read("b")));
        }
        using var zip = ZipFile.OpenRead(dir.File("w.npz"));
        Assert.Equal(["a.npy", "b.npy"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));   // stored, as np.savez writes
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        { "Fortran order", "<f8", "True", "Fortran-order arrays are not supported" },
        { "an unsigned 16-bit dtype", "<u2", "False", "unsupported .npy dtype '<u2'" },
        { "a complex dtype", "<c8", "False", "unsupported .npy dtype '<c8'" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public void Unsupported_arrays_are_refused_with_one_message(string name, string descr, string fortran, string fragment)
    {
        using var dir = new TempDirectory();
        Zip(dir.File("bad.npz"), ("x.npy", NpyBytes(descr, "(2,)", new byte[16], fortran), CompressionLevel.NoCompression));
        using var npz = new NpzArchive(dir.File("bad.npz"));
        var e = Assert.Throws<InvalidDataException>(() => npz.Describe("x"));
        Assert.Contains(fragment, e.Message);
        Assert.Contains("bad.npz/x.npy", e.Message);
        Assert.NotEmpty(name);
    }

    [Fact]
    public void A_truncated_entry_and_a_file_that_is_not_a_zip_are_refused()
    {
        using var dir = new TempDirectory();
        Zip(dir.File("short.npz"), ("x.npy", NpyBytes("<f8", "(4,)", new byte[16]), CompressionLevel.Optimal));
        using (var npz = new NpzArchive(dir.File("short.npz")))
            Assert.Contains("truncated .npy file", Assert.Throws<InvalidDataException>(() => npz.Read("x")).Message);
        File.WriteAllBytes(dir.File("plain.npz"), NpyBytes("<f8", "(2,)", new byte[16]));
        Assert.Contains("is not a .npz file", Assert.Throws<InvalidDataException>(() => new NpzArchive(dir.File("plain.npz"))).Message);
    }
}
