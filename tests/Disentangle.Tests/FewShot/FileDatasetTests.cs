using Disentangle.FewShot;
using SkiaSharp;

namespace Disentangle.Tests.FewShot;

public sealed class FileDatasetTests
{
    [Fact]
    public void Cifar_fs_groups_both_binary_files_by_fine_class_and_splits_by_name()
    {
        string root = Directory.CreateTempSubdirectory("cifarfs").FullName;
        try
        {
            string binary = Path.Combine(root, "cifar-100-binary"), splits = Path.Combine(root, "splits", "bertinetto");
            Directory.CreateDirectory(binary);
            Directory.CreateDirectory(splits);
            string[] names = ["apple", "bear", "cloud", "dolphin"];
            File.WriteAllLines(Path.Combine(binary, "fine_label_names.txt"), names);
            foreach (var (file, perClass) in new[] { ("train.bin", 3), ("test.bin", 1) })
            {
                var bytes = new List<byte>();
                for (int i = 0; i < 4 * perClass; i++)
                {
                    int fine = i % 4;
                    var record = new byte[3074];
                    record[0] = 9; record[1] = (byte)fine;
                    record[2] = (byte)(10 * fine);            // R plane, pixel 0
                    record[2 + 1024] = (byte)(file == "train.bin" ? 1 : 2);   // G plane, pixel 0
                    bytes.AddRange(record);
                }
                File.WriteAllBytes(Path.Combine(binary, file), [.. bytes]);
            }
            File.WriteAllLines(Path.Combine(splits, "train.txt"), ["dolphin", "apple"]);
            File.WriteAllLines(Path.Combine(splits, "val.txt"), ["cloud"]);
            File.WriteAllLines(Path.Combine(splits, "test.txt"), ["bear"]);
            var dataset = CifarFs.Load(root);
            Assert.Equal([2, 1, 1], Enum.GetValues<FewShotSplit>().Select(dataset.ClassCount));
            Assert.Equal(4, dataset.ImageCount(FewShotSplit.Train, 0));
            var image = new float[3 * 32 * 32];
            dataset.CopyImage(FewShotSplit.Train, 0, 3, image);   // dolphin (fine 3), the test.bin image
            Assert.Equal(30, Math.Round(image[0] * 255));
            Assert.Equal(2, Math.Round(image[1024] * 255));
            File.WriteAllLines(Path.Combine(splits, "test.txt"), ["bear", "apple"]);
            Assert.Contains("apple", Assert.Throws<InvalidDataException>(() => CifarFs.Load(root)).Message);
            File.WriteAllLines(Path.Combine(splits, "test.txt"), ["bears"]);
            Assert.Contains("bears", Assert.Throws<InvalidDataException>(() => CifarFs.Load(root)).Message);
        }
        finally { Directory.Delete(root, true); }
    }

    private static void WriteJpeg(string path, SKColor color, int size)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(color);
        using var data = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void Mini_imagenet_reads_csv_classes_and_decodes_resized_jpegs()
    {
        string root = Directory.CreateTempSubdirectory("mini").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "images"));
            foreach (var (split, labels) in new[] { ("train", new[] { "n01", "n02" }), ("val", new[] { "n03" }), ("test", new[] { "n04", "n05" }) })
            {
                var rows = new List<string> { "filename,label" };
                foreach (var label in labels)
                    for (int i = 0; i < 2; i++)
                    {
                        string file = $"{label}0000000{i}.jpg";
                        WriteJpeg(Path.Combine(root, "images", file), label == "n04" ? new SKColor(200, 40, 90) : SKColors.Gray, 84);
                        rows.Add($"{file},{label}");
                    }
                File.WriteAllLines(Path.Combine(root, $"{split}.csv"), rows);
            }
            var dataset = MiniImageNet.Load(root, imageSize: 32);
            Assert.Equal([2, 1, 2], Enum.GetValues<FewShotSplit>().Select(dataset.ClassCount));
            var image = new float[3 * 32 * 32];
            dataset.CopyImage(FewShotSplit.Test, 0, 1, image);
            Assert.Equal(200 / 255.0, image[500], 0.03);
            Assert.Equal(40 / 255.0, image[1024 + 500], 0.03);
            Assert.Equal(90 / 255.0, image[2048 + 500], 0.03);
            File.WriteAllBytes(Path.Combine(root, "images", "n0500000000.jpg"), [0xFF, 0xD8, 0xFF, 1, 2, 3]);   // a cut JPEG
            var corrupt = Assert.Throws<InvalidDataException>(() => dataset.CopyImage(FewShotSplit.Test, 1, 0, image));
            Assert.Contains("n0500000000.jpg", corrupt.Message);
            File.AppendAllLines(Path.Combine(root, "val.csv"), ["missing.jpg,n03"]);
            Assert.Contains("missing.jpg", Assert.Throws<FileNotFoundException>(() => MiniImageNet.Load(root)).Message);
        }
        finally { Directory.Delete(root, true); }
    }
}
