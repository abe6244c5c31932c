using System.Text.Json.Nodes;
using Disentangle.Experiments;
using Disentangle.Io;

namespace Disentangle.Tests.Experiments;

public sealed class ConfigAndSweepTests
{
    public enum Flavour { Plain, InnerLasso }

    public sealed record ExampleOptions(int Steps = 10, double Ratio = 0.3, Flavour Method = Flavour.Plain, string Name = "x");

    private static string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"disentangle-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Config_file_overrides_only_the_keys_it_names()
    {
        var path = TempFile("""{"steps": 5, "method": "inner-lasso"}""");
        var options = ConfigFile.Load(path, new ExampleOptions());
        Assert.Equal(new ExampleOptions(Steps: 5, Method: Flavour.InnerLasso), options);
    }

    [Fact]
    public void Saved_config_records_the_library_version_and_reads_back_equal()
    {
        var path = TempFile("");
        var options = new ExampleOptions(Steps: 7, Ratio: 0.1, Method: Flavour.InnerLasso, Name: "y");
        ConfigFile.Save(path, options);
        Assert.Equal(ConfigFile.Version, JsonNode.Parse(File.ReadAllText(path))!["version"]!.GetValue<string>());
        Assert.NotEqual("unknown", ConfigFile.Version);
        Assert.Equal(options, ConfigFile.Load(path, new ExampleOptions()));
    }

    [Fact]
    public void Unknown_config_key_is_an_error_listing_the_valid_keys()
    {
        var path = TempFile("""{"stepz": 5}""");
        var e = Assert.Throws<InvalidDataException>(() => ConfigFile.Load(path, new ExampleOptions()));
        Assert.Contains("'stepz'", e.Message);
        Assert.Contains("steps, ratio, method, name", e.Message);
    }

    [Fact]
    public void Malformed_or_missing_config_files_give_errors_naming_the_file()
    {
        var bad = TempFile("{ not json");
        Assert.Contains(bad, Assert.Throws<InvalidDataException>(() => ConfigFile.Load(bad, new ExampleOptions())).Message);
        var wrongType = TempFile("""{"steps": "many"}""");
        Assert.Contains(wrongType, Assert.Throws<InvalidDataException>(() => ConfigFile.Load(wrongType, new ExampleOptions())).Message);
        Assert.Throws<FileNotFoundException>(() => ConfigFile.Load("/nonexistent/config.json", new ExampleOptions()));
    }

    [Fact]
    public void Saved_options_load_back_equal()
    {
        var path = TempFile("");
        var options = new ExampleOptions(Steps: 7, Ratio: 0.125, Method: Flavour.InnerLasso, Name: "run");
        ConfigFile.Save(path, options);
        Assert.Equal(options, ConfigFile.Load(path, new ExampleOptions()));
    }

    [Fact]
    public void Sweep_expands_the_cartesian_product_with_the_last_key_fastest()
    {
        var path = TempFile("""{"name": "fig4", "base": {"steps": 3}, "grid": {"ratio": [0.1, 0.3], "method": ["plain", "inner-lasso"], "name": ["a", "b", "c"]}}""");
        var runs = SweepSpec.Load(path).Expand();
        Assert.Equal(12, runs.Count);
        Assert.Equal(Enumerable.Range(0, 12), runs.Select(r => r.Index));
        Assert.Equal(runs.Count, runs.Select(r => r.Name).Distinct().Count());
        var first = ConfigFile.Merge(new ExampleOptions(), runs[0].Config, "run 0");
        var second = ConfigFile.Merge(new ExampleOptions(), runs[1].Config, "run 1");
        var last = ConfigFile.Merge(new ExampleOptions(), runs[11].Config, "run 11");
        Assert.Equal(new ExampleOptions(3, 0.1, Flavour.Plain, "a"), first);
        Assert.Equal(new ExampleOptions(3, 0.1, Flavour.Plain, "b"), second);
        Assert.Equal(new ExampleOptions(3, 0.3, Flavour.InnerLasso, "c"), last);
        var all = runs.Select(r => ConfigFile.Merge(new ExampleOptions(), r.Config, r.Name)).ToHashSet();
        Assert.Equal(12, all.Count);
    }

    [Fact]
    public void Slurm_script_has_one_array_index_per_run_and_runs_its_config()
    {
        var spec = new SweepSpec("s", new JsonObject(), [new("seed", new JsonArray(0, 1, 2))]);
        var script = SlurmScript.Write(spec, [0, 1, 2], "/scratch/runs/s", "/scratch/runs/s/sweep.json", "/scratch/runs",
            SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/disentangle/Disentangle.Cli.dll"), new SlurmOptions());
        Assert.Contains("#SBATCH --array=0-2", script);
        Assert.Contains("exec \"/usr/bin/dotnet\" \"/opt/disentangle/Disentangle.Cli.dll\" sweep \"/scratch/runs/s/sweep.json\" --root \"/scratch/runs\" --index \"${SLURM_ARRAY_TASK_ID}\"", script);
        foreach (var run in spec.Expand()) Assert.Contains($"#   {run.Index} = {run.Name}\n", script);
    }

    [Fact]
    public void Sweep_file_without_a_grid_is_an_error()
    {
        var path = TempFile("""{"name": "x", "base": {}}""");
        Assert.Contains("grid", Assert.Throws<InvalidDataException>(() => SweepSpec.Load(path)).Message);
    }
}
