using System.Text.Json.Nodes;
using Disentangle.Io;
using Disentangle.Runs;

namespace Disentangle.Tests.Cli;

[Collection(nameof(ConsoleCollection))]
public sealed class EvaluateCommandTests
{
    [Fact]
    public void A_run_folder_in_the_layout_before_one_schema_is_evaluated_into_the_new_files_and_its_old_files_are_left_alone()
    {
        string run = Path.Combine(Path.GetTempPath(), $"disentangle-old-layout-{Guid.NewGuid():N}");
        var (code, output) = CliRunner.Run([.. $"train --inputs linear --steps 4 --eval-every 2 --eval-samples 200 --validation-tasks 4 --seed 3 --out {run}".Split(' ')]);
        Assert.True(code == 0, output);
        // The files a run trained before the one result schema holds instead of eval-train-uniform.*.
        var folder = new RunFolder(run);
        File.Move(folder.Features("train-uniform"), folder.File("features.npy"));
        File.Move(folder.Latents("train-uniform"), folder.File("latents.npy"));
        var old = JsonFiles.ReadObject(folder.TrainEvaluation);
        File.Delete(folder.TrainEvaluation);
        JsonFiles.Write(folder.File("metrics.json"), new JsonObject
        {
            ["step"] = 4, ["grid"] = "uniform", ["evaluation"] = "sampled", ["samples"] = 200,
            ["featureUsage"] = old["featureUsage"]!.DeepClone(), ["scores"] = old["scores"]!.DeepClone(),
        });
        var before = new[] { "metrics.json", "features.npy", "latents.npy" }.ToDictionary(name => name, name => File.ReadAllBytes(folder.File(name)));

        (code, output) = CliRunner.Run(["evaluate", run, "--samples", "300", "--ica", "--ica-samples", "400"]);
        Assert.True(code == 0, output);
        Assert.Contains("sampled evaluation, after FastICA fitted on 400 samples", output);
        var result = JsonFiles.Read<EvaluationResult>(folder.Evaluation("best-ica-uniform"));
        Assert.Equal(("best", 300, 400, "sampled"), (result.Checkpoint, result.Samples, result.IcaSamples, result.Evaluation));
        Assert.NotNull(result.ValidationLoss);
        Assert.Equal([300, 6], Npy.Read(folder.Features("best-ica-uniform")).Shape);
        Assert.True(File.Exists(folder.File("correlations-best-ica.png")));
        foreach (var (name, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(folder.File(name)));
        Directory.Delete(run, true);
    }
}
