namespace Disentangle.FewShot;

/// <summary>CIFAR-FS (Bertinetto et al. 2019): the 100 CIFAR-100 classes split 64 / 16 / 20 by class name, 600
/// 32×32 colour images per class (CIFAR-100's train and test images together).</summary>
/// <remarks>Layout under the root folder: <c>cifar-100-binary/{train.bin,test.bin,fine_label_names.txt}</c> as
/// distributed by the CIFAR page (records of 1 coarse-label byte, 1 fine-label byte, 3,072 pixel bytes R, G, B planes of
/// 32×32), and <c>splits/bertinetto/{train,val,test}.txt</c>, one fine class name per line.</remarks>
public static class CifarFs
{
    private const int RecordBytes = 2 + 3 * 32 * 32;

    /// <summary>Loads CIFAR-FS from <paramref name="root"/>.</summary>
    /// <exception cref="FileNotFoundException">A file of the layout is missing.</exception>
    /// <exception cref="InvalidDataException">A binary file is not whole records, a label is out of range, or a split
    /// names an unknown class or a class twice.</exception>
    public static InMemoryFewShotDataset Load(string root)
    {
        string binary = Path.Combine(root, "cifar-100-binary"), splits = Path.Combine(root, "splits", "bertinetto");
        var names = ReadLines(Path.Combine(binary, "fine_label_names.txt"));
        var images = new List<byte>[names.Length];
        for (int c = 0; c < names.Length; c++) images[c] = [];
        foreach (var file in new[] { "train.bin", "test.bin" })
        {
            string path = Path.Combine(binary, file);
            var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"CIFAR-100 file {path} is missing.", path);
            if (bytes.Length % RecordBytes != 0)
                throw new InvalidDataException($"{path}: {bytes.Length} bytes are not whole {RecordBytes}-byte records.");
            for (int offset = 0; offset < bytes.Length; offset += RecordBytes)
            {
                int fine = bytes[offset + 1];
                if (fine >= names.Length) throw new InvalidDataException($"{path}: fine label {fine} at byte {offset + 1} but only {names.Length} class names.");
                images[fine].AddRange(bytes.AsSpan(offset + 2, RecordBytes - 2));
            }
        }
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var seen = new HashSet<string>();
        byte[][] Split(string file)
        {
            string path = Path.Combine(splits, file);
            return [.. ReadLines(path).Select(name =>
            {
                if (!index.TryGetValue(name, out int c)) throw new InvalidDataException($"{path}: unknown class '{name}'.");
                if (!seen.Add(name)) throw new InvalidDataException($"{path}: class '{name}' appears in two splits or twice.");
                return images[c].ToArray();
            })];
        }
        return new InMemoryFewShotDataset("cifar-fs", 3, 32, new Dictionary<FewShotSplit, byte[][]>
        {
            [FewShotSplit.Train] = Split("train.txt"),
            [FewShotSplit.Validation] = Split("val.txt"),
            [FewShotSplit.Test] = Split("test.txt"),
        });
    }

    private static string[] ReadLines(string path) => File.Exists(path)
        ? [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0)]
        : throw new FileNotFoundException($"CIFAR-FS file {path} is missing.", path);
}
