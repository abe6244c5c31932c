using Disentangle.Io;

namespace Disentangle.Tests.Io;

public sealed class JsonFilesTests
{
    public enum Head { Lasso, GroupLasso }

    public sealed record Options(double LambdaRatio, int Steps, Head Head, double[] Curve, string? Note = null);

    [Fact]
    public void Records_round_trip_with_camel_case_names_kebab_case_enums_and_non_finite_values()
    {
        using var dir = new TempDirectory();
        string path = dir.File("options.json");
        var options = new Options(0.3, 20_000, Head.GroupLasso, [1.0 / 3, double.NaN, double.PositiveInfinity, double.NegativeInfinity], "λ/λ_max");
        JsonFiles.Write(path, options);
        string text = File.ReadAllText(path);
        Assert.Contains("\"lambdaRatio\": 0.3", text);
        Assert.Contains("\"head\": \"group-lasso\"", text);
        Assert.Contains("\"NaN\"", text);
        Assert.Contains("\"-Infinity\"", text);
        Assert.Contains("λ/λ_max", text);
        var back = JsonFiles.Read<Options>(path);
        Assert.Equal(options with { Curve = back.Curve }, back);
        Assert.Equal(options.Curve, back.Curve);
    }

    [Fact]
    public void Enums_are_spelled_in_kebab_case_as_on_the_command_line_and_integers_are_refused()
    {
        string json = JsonFiles.Serialize(new Options(0.1, 5, Head.GroupLasso, []));
        Assert.Contains("\"group-lasso\"", json);
        Assert.Equal(Head.GroupLasso, JsonFiles.Deserialize<Options>(json).Head);
        Assert.Throws<InvalidDataException>(() => JsonFiles.Deserialize<Options>("{\"lambdaRatio\": 0.5, \"steps\": 1, \"head\": 1, \"curve\": []}"));
    }

    [Fact]
    public void Json_objects_are_written_atomically_and_read_back()
    {
        using var dir = new TempDirectory();
        string path = dir.File("node.json");
        JsonFiles.Write(path, new System.Text.Json.Nodes.JsonObject { ["name"] = "λ sweep", ["steps"] = 3 });
        Assert.Equal(["node.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        var back = JsonFiles.ReadObject(path);
        Assert.Equal("λ sweep", back["name"]!.GetValue<string>());
        File.WriteAllText(path, "[1, 2]");
        Assert.Throws<InvalidDataException>(() => JsonFiles.ReadObject(path));
        Assert.Throws<FileNotFoundException>(() => JsonFiles.ReadObject(dir.File("missing.json")));
    }

    [Fact]
    public void Hand_edited_files_may_have_comments_and_trailing_commas()
    {
        var o = JsonFiles.Deserialize<Options>("{ // sweep\n \"lambdaRatio\": 0.5, \"steps\": 3, \"head\": \"lasso\", \"curve\": [1,],\n}");
        Assert.Equal(0.5, o.LambdaRatio);
        Assert.Equal([1.0], o.Curve);
    }

    [Fact]
    public void Bad_documents_throw_invalid_data_naming_the_source_and_position()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.json");
        File.WriteAllText(path, "{\n  \"lambdaRatio\": \"high\" }");
        var e = Assert.Throws<InvalidDataException>(() => JsonFiles.Read<Options>(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Throws<InvalidDataException>(() => JsonFiles.Deserialize<Options>("{\"lambdaRatio\": 0.5}"));          // required members missing
        Assert.Throws<InvalidDataException>(() => JsonFiles.Deserialize<Options>("null"));
        Assert.Throws<InvalidDataException>(() => JsonFiles.Deserialize<Options>("{\"lambdaRatio\": 0.5, \"steps\": 1, \"head\": \"lasso\", \"curve\": null}"));
        Assert.Throws<InvalidDataException>(() => JsonFiles.Deserialize<Options>("{\"lambdaRatio\": 0.5, \"steps\": 1, \"head\": \"Ridge\", \"curve\": []}"));
    }
}
