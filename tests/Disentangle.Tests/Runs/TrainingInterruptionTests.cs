using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

public sealed class TrainingInterruptionTests
{
    private static string TempRun() => Path.Combine(Path.GetTempPath(), $"disentangle-stop-{Guid.NewGuid():N}");

    /// <summary>Cancels the token when the trainer reports <paramref name="step"/>.</summary>
    private sealed class StopAt(long step, CancellationTokenSource stop) : IProgress<long>
    {
        public void Report(long value) { if (value == step) stop.Cancel(); }
    }

    [Fact]
    public void A_stop_request_ends_training_at_the_step_boundary_with_a_checkpoint_and_no_results_and_resume_matches_bitwise()
    {
        string whole = TempRun(), stopped = TempRun();
        var options = new TrainOptions(Steps: 30, Inputs: InputKind.Linear, LearningRate: 3e-3, EvalEvery: 10, EvalSamples: 200,
            ValidationTasks: 4, LogEvery: 5, Seed: 9, Out: whole);
        var reference = new TrainingRun(options);
        reference.Train();

        using var stop = new CancellationTokenSource();
        var e = Assert.Throws<TrainingInterruptedException>(() => new TrainingRun(options with { Out = stopped }).Train(null, new StopAt(13, stop), stop.Token));
        Assert.Equal((13, 30), (e.Step, e.Steps));
        Assert.Equal("interrupted at step 13 of 30; resume with --resume", e.Message);
        Assert.Equal(13, Checkpoint.Load(Path.Combine(stopped, "checkpoint.safetensors")).Step);
        Assert.False(File.Exists(Path.Combine(stopped, "eval-train-uniform.json")));      // an interrupted run does not look finished
        Assert.Equal([5.0, 10.0], CsvTable.Read(Path.Combine(stopped, "log.csv")).Numbers("step"));

        var resumed = new TrainingRun(options with { Out = stopped }, resume: true);
        Assert.Equal(13, resumed.Step);
        resumed.Train();
        var a = reference.Encoder.NamedParameters().ToArray();
        var b = resumed.Encoder.NamedParameters().ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i].Parameter.Data, b[i].Parameter.Data);
    }
}
