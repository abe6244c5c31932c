using Disentangle.Io;
using PureHDF;

namespace Disentangle.Tests.Data.OwnData;

/// <summary>The example data set of docs/own-data.md: 16×16 grey images of one bright Gaussian blob whose column x, row y
/// (continuous, pixels) and brightness (4 levels) are the three factors. Written as NPZ (<c>np.savez</c> layout) or HDF5.</summary>
internal static class BlobData
{
    public const int Side = 16, Factors = 3;

    /// <summary>Images uint8 [n, 16, 16, 1] and factors float32 [n, 3] (x, y, brightness) from <paramref name="seed"/>.</summary>
    public static (byte[] Images, float[] Factors) Generate(int n, int seed = 0)
    {
        var random = new Random(seed);
        var images = new byte[n * Side * Side];
        var factors = new float[n * Factors];
        for (int i = 0; i < n; i++)
        {
            float x = 3 + 10 * random.NextSingle(), y = 3 + 10 * random.NextSingle(), brightness = 0.4f + 0.2f * random.Next(4);
            factors[i * 3] = x;
            factors[i * 3 + 1] = y;
            factors[i * 3 + 2] = brightness;
            for (int r = 0; r < Side; r++)
                for (int c = 0; c < Side; c++)
                {
                    double value = 255 * brightness * Math.Exp(-((c - x) * (c - x) + (r - y) * (r - y)) / (2 * 1.5 * 1.5));
                    images[(i * Side + r) * Side + c] = (byte)Math.Round(value);
                }
        }
        return (images, factors);
    }

    /// <summary>Writes <paramref name="n"/> samples as <c>np.savez(path, images=…, factors=…)</c> would.</summary>
    public static void WriteNpz(string path, int n, int seed = 0)
    {
        var (images, factors) = Generate(n, seed);
        WriteNpz(path, TensorData.Create(images, [n, Side, Side, 1]), TensorData.Create(factors, [n, Factors]));
    }

    public static void WriteNpz(string path, TensorData images, TensorData factors) =>
        NpzArchive.Write(path, new Dictionary<string, TensorData> { ["images"] = images, ["factors"] = factors });

    /// <summary>Writes <paramref name="n"/> samples as h5py's <c>create_dataset("images", …)</c>, <c>("factors", …)</c> would.</summary>
    public static void WriteHdf5(string path, int n, int seed = 0)
    {
        var (images, factors) = Generate(n, seed);
        WriteHdf5(path, images, [(ulong)n, Side, Side, 1], factors, [(ulong)n, Factors]);
    }

    public static void WriteHdf5<TImage, TFactor>(string path, TImage[] images, ulong[] imageShape, TFactor[] factors, ulong[] factorShape)
    {
        var file = new H5File
        {
            ["images"] = new H5Dataset<TImage[]>(images, fileDims: imageShape),
            ["factors"] = new H5Dataset<TFactor[]>(factors, fileDims: factorShape),
        };
        file.Write(path);
    }
}
