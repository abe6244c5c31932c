using Disentangle.Io;

namespace Disentangle.Tests.Io;

public sealed class CsvTests
{
    [Fact]
    public void Rows_round_trip_with_exact_doubles_and_quoted_text()
    {
        using var dir = new TempDirectory();
        string path = dir.File("log.csv");
        double[] values = [0.1, 1.0 / 3, -2.5e-300, double.MaxValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0];
        using (var csv = new CsvWriter(path, ["step", "value", "note", "flag"]))
            for (int i = 0; i < values.Length; i++) csv.WriteRow(i, values[i], i == 2 ? "a, \"b\"\nc" : null, i % 2 == 0);

        var table = CsvTable.Read(path);
        Assert.Equal(["step", "value", "note", "flag"], table.Columns);
        var back = table.Numbers("value");
        for (int i = 0; i < values.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(back[i]));
        Assert.Equal("a, \"b\"\nc", table.Rows[2][2]);
        Assert.Equal("", table.Rows[0][2]);
        Assert.Equal("true", table.Rows[0][3]);
        Assert.StartsWith("step,value,note,flag\n0,0.1,,true\n", File.ReadAllText(path));
    }

    [Fact]
    public void Each_row_is_on_disk_before_the_writer_is_closed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("live.csv");
        using var csv = new CsvWriter(path, ["epoch", "loss"]);
        csv.WriteRow(1, 0.5f);
        string text;
        using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))) text = reader.ReadToEnd();
        Assert.Equal("epoch,loss\n1,0.5\n", text);
    }

    [Fact]
    public void Appending_keeps_the_header_once_and_drops_a_row_cut_by_a_crash()
    {
        using var dir = new TempDirectory();
        string path = dir.File("resume.csv");
        using (var csv = new CsvWriter(path, ["step", "mcc"])) csv.WriteRow(1, 0.25);
        File.AppendAllText(path, "2,0.3");   // a crash in the middle of a row
        using (var csv = new CsvWriter(path, ["step", "mcc"], append: true)) csv.WriteRow(2, 0.5);
        Assert.Equal("step,mcc\n1,0.25\n2,0.5\n", File.ReadAllText(path));

        Assert.Contains("differs", Assert.Throws<InvalidDataException>(() => new CsvWriter(path, ["step", "r"], append: true)).Message);
        using (var csv = new CsvWriter(path, ["step", "r"])) { }
        Assert.Equal("step,r\n", File.ReadAllText(path));
    }

    [Fact]
    public void Wrong_row_lengths_and_bad_columns_are_rejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.csv");
        using (var csv = new CsvWriter(path, ["a", "b"]))
            Assert.Contains("3 values but the file has 2 columns", Assert.Throws<ArgumentException>(() => csv.WriteRow(1, 2, 3)).Message);
        Assert.Throws<ArgumentException>(() => new CsvWriter(path, []));
        Assert.Contains("a", Assert.Throws<ArgumentException>(() => new CsvWriter(path, ["a", "a"])).Message);

        File.WriteAllText(path, "a,b\n1,2\n3\n");
        Assert.Contains("line 3 has 1 fields", Assert.Throws<InvalidDataException>(() => CsvTable.Read(path)).Message);
        File.WriteAllText(path, "a,b\n\"1,2\n");
        Assert.Contains("unterminated quoted field starting on line 2", Assert.Throws<InvalidDataException>(() => CsvTable.Read(path)).Message);
        File.WriteAllText(path, "a,b\r\n1,x\r\n");
        Assert.Throws<FormatException>(() => CsvTable.Read(path).Numbers("b"));
        Assert.Throws<ArgumentException>(() => CsvTable.Read(path).Numbers("c"));
    }
}
