using Disentangle.Cli;

namespace Disentangle.Tests.Cli;

[Collection(nameof(ConsoleCollection))]
public sealed class SweepCliTests
{
    private static (int ExitCode, string Output) Run(params string[] args) => CliRunner.Run(args);

    private static (string Root, string File) SweepFile(string json)
    {
        string root = Directory.CreateTempSubdirectory("disentangle-sweep-cli").FullName, file = Path.Combine(root, "sweep.json");
        File.WriteAllText(file, json);
        return (Path.Combine(root, "runs"), file);
    }

    [Theory]
    [InlineData("--hours", "-3", "--hours")]
    [InlineData("--cpus-per-task", "0", "--cpus-per-task")]
    [InlineData("--launcher", "/nonexistent/disentangle", "--launcher")]
    [InlineData("--sbatch-arg", "--array=0-99", "--sbatch-arg")]
    public void Slurm_values_that_cannot_work_are_refused_before_anything_is_written(string flag, string value, string named)
    {
        var (root, file) = SweepFile("""{"name": "s", "base": {"inputs": "linear"}, "grid": {"seed": [0, 1]}}""");
        var (code, output) = Run("sweep", file, "--root", root, "--slurm", $"{flag}={value}");
        Assert.Equal(2, code);
        Assert.Contains(named, output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(Directory.Exists(root), $"{root} was created");
    }

    [Fact]
    public void A_sweep_with_a_failing_run_finishes_the_others_reports_the_failure_and_exits_non_zero()
    {
        var (root, file) = SweepFile("""
            {"name": "f", "base": {"inputs": "linear", "steps": 8, "evalEvery": 4, "evalSamples": 200, "validationTasks": 4},
             "grid": {"learningRate": [1e9, 0.001]}}
            """);
        var (code, output) = Run("sweep", file, "--root", root);
        Assert.NotEqual(0, code);
        Assert.Contains("1 of 2 runs failed", output);
        Assert.Contains("learningRate=1E+09: ", output);
        Assert.True(File.Exists(Path.Combine(root, "f", "runs", "learningRate=0.001", "eval-best-uniform.json")));

        (code, output) = Run("sweep", Path.Combine(root, "f"), "--status");
        Assert.True(code == 0, output);
        Assert.Matches(@"learningRate=1E\+09\s+failed", output);
        Assert.Matches(@"learningRate=0\.001\s+done\s+step 8/8", output);
        Assert.Contains("summary: 1 done, 1 failed", output);

        (code, output) = Run("report", Path.Combine(root, "f"));
        Assert.True(code == 0, output);
        Assert.Contains("every cell has 1 seed(s)", output);
        Assert.Contains("missing: 1 run(s) have no results yet and are not in the figure: learningRate=1E+09", output);
        var curves = Disentangle.Io.CsvTable.Read(Path.Combine(root, "f", "learning-curves.csv"));   // MCC against step from every run's log
        Assert.Equal(["run", "method", "rho", "c", "seed", "step", "mcc", "r", "validation_loss"], curves.Columns);
        Assert.Equal([4.0, 8.0], curves.Numbers("step"));
        Assert.All(curves.Numbers("mcc"), m => Assert.InRange(m, 0, 1));
        Assert.True(File.Exists(Path.Combine(root, "f", "learning-curves.png")));

        Assert.True(File.Exists(Path.Combine(root, "f", "runs", "learningRate=0.001", "eval-last-uniform.json")));   // the sweep scores the last checkpoint too
        (code, output) = Run("report", Path.Combine(root, "f"), "--checkpoint", "last");
        Assert.True(code == 0, output);
        Assert.Single(Disentangle.Io.CsvTable.Read(Path.Combine(root, "f", "report-last.csv")).Numbers("mcc_mean").Distinct());

        (code, output) = Run("report", Path.Combine(root, "f"), "--full-grid");   // no full-grid evaluation yet: says how to get one
        Assert.Equal(2, code);
        Assert.Contains("no runs/*/eval-best-full-grid-uniform.json or eval-last-full-grid-uniform.json; 'disentangle evaluate RUN --full-grid' writes them", output);

        (code, output) = Run("report", Path.Combine(root, "f"), "--dci", "released-code", "--format", "svg");   // values spelled as in files
        Assert.True(code == 0, output);
        (code, output) = Run("report", Path.Combine(root, "f"), "--dci", "ReleasedCodeX");
        Assert.NotEqual(0, code);
        Assert.Contains("'ReleasedCodeX' is not a valid value for --dci. Valid values: disentanglement-lib, released-code.", output);
    }
}
