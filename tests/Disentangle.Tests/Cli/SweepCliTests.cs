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

    /// <summary>A sweep file of quick runs on 200 blob images (a data file with a grid, so the full grid can be scored),
    /// its base options and grid completed by <paramref name="baseExtra"/> and <paramref name="grid"/>.</summary>
    private static (string Root, string File) BlobSweep(string name, string baseExtra, string grid)
    {
        string data = Path.Combine(Directory.CreateTempSubdirectory("disentangle-sweep-blobs").FullName, "blobs.npz");
        Disentangle.Tests.Data.OwnData.BlobData.WriteNpz(data, 200);
        return SweepFile($$$"""
            {"name": "{{{name}}}", "base": {"data": "{{{data}}}", "latents": "harder_gauss_0.5", "steps": 4, "evalEvery": 2, "logEvery": 2, "evalSamples": 60,
              "validationTasks": 2, "tasks": 2, "innerShots": 10, {{{baseExtra}}}}, "grid": {{{grid}}}}
            """);
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

    [Fact]
    public void Full_grid_best_scores_each_cells_best_c_run_on_every_sample_and_names_those_whose_checkpoints_are_gone()
    {
        var (root, file) = BlobSweep("b", "\"outerShots\": 10", """{"lambdaRatio": [0.1, 0.3], "method": ["inner-lasso", "inner-ridge"]}""");
        var (code, output) = Run("sweep", file, "--root", root);
        Assert.True(code == 0, output);
        string sweep = Path.Combine(root, "b"), runs = Path.Combine(sweep, "runs");
        double Sampled(string run, string ica) =>
            Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(runs, run, $"eval-best{ica}-uniform.json")).Scores.Mcc;
        string Best(string method, string ica) => new[] { 0.1, 0.3 }.Select(c => $"lambdaRatio={c}_method={method}").MaxBy(run => Sampled(run, ica))!;
        var best = new[] { (Run: Best("inner-lasso", ""), Ica: ""), (Run: Best("inner-ridge", ""), Ica: ""), (Run: Best("inner-ridge", "-ica"), Ica: "-ica") };

        (code, output) = Run("sweep", sweep, "--full-grid-best");
        Assert.True(code == 0, output);
        Assert.Contains("3 of 3 best-c runs scored on the full grid", output);
        foreach (string run in Directory.GetDirectories(runs).Select(Path.GetFileName)!)
            foreach (string ica in run.EndsWith("ridge") ? new[] { "", "-ica" } : [""])
            {
                string scored = Path.Combine(runs, run, $"eval-best{ica}-full-grid-uniform.json");
                Assert.Equal(best.Contains((run, ica)), File.Exists(scored));   // the best c of its cell only
                if (File.Exists(scored))
                    Assert.Equal(200, Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(scored).Samples);   // every sample of the file
            }

        // A cell with a run not finished is not scored yet: its best c may change.
        string other = new[] { 0.1, 0.3 }.Select(c => $"lambdaRatio={c}_method=inner-lasso").Single(run => run != best[0].Run);
        string outcome = Path.Combine(runs, other, "outcome.json"), done = File.ReadAllText(outcome);
        File.Delete(outcome);
        File.Delete(Path.Combine(runs, best[0].Run, "eval-best-full-grid-uniform.json"));
        (code, output) = Run("sweep", sweep, "--full-grid-best");
        Assert.True(code == 0, output);
        Assert.Contains("2 of 3 best-c runs scored on the full grid (1 in cells not finished", output);
        Assert.Contains("full grid - (its cell is not finished: the best c so far)", output);
        Assert.DoesNotContain("scoring ", output);
        Assert.False(File.Exists(Path.Combine(runs, best[0].Run, "eval-best-full-grid-uniform.json")));
        File.WriteAllText(outcome, done);

        // A best-c run kept without its checkpoints cannot be scored: it is named, the others keep their scores.
        foreach (string checkpoint in Directory.GetFiles(Path.Combine(runs, best[0].Run), "*.safetensors")) File.Delete(checkpoint);
        (code, output) = Run("sweep", sweep, "--full-grid-best");
        Assert.True(code == 0, output);
        Assert.Contains("2 of 3 best-c runs scored on the full grid", output);
        Assert.Contains("full grid - (kept without its checkpoints: train it again to score it)", output);
        Assert.DoesNotContain("scoring ", output);   // the recorded scores are read, not computed again
        (code, output) = Run("report", sweep, "--full-grid");
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(sweep, "report-full-grid.csv")));
    }

    [Fact]
    public void Full_grid_best_scores_a_finished_cell_while_a_run_of_another_setting_is_unfinished()
    {
        var (root, file) = BlobSweep("s", "\"method\": \"inner-lasso\"", """{"lambdaRatio": [0.1, 0.3], "outerShots": [10, 12]}""");
        var (code, output) = Run("sweep", file, "--root", root);
        Assert.True(code == 0, output);
        string runs = Path.Combine(root, "s", "runs");
        File.Delete(Path.Combine(runs, "lambdaRatio=0.1_outerShots=10", "outcome.json"));   // one run of the outerShots=10 cell unfinished

        (code, output) = Run("sweep", Path.Combine(root, "s"), "--full-grid-best");
        Assert.True(code == 0, output);
        Assert.Contains("1 of 2 best-c runs scored on the full grid (1 in cells not finished", output);
        var scored = Directory.GetFiles(runs, "eval-best-full-grid-uniform.json", SearchOption.AllDirectories);
        Assert.Contains("outerShots=12", Assert.Single(scored), StringComparison.Ordinal);   // the finished cell, not the unfinished one
    }
}
