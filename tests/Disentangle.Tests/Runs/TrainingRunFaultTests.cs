using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

/// <summary>Fault injection: a kill, or a full disk, at every atomic write of a run; the resumed run ends in the
/// uninterrupted run's state bit for bit (parameters, buffers, optimizer, usage counts, log, best checkpoint).</summary>
public sealed class TrainingRunFaultTests
{
    private static string TempRun() => Path.Combine(Path.GetTempPath(), $"disentangle-fault-{Guid.NewGuid():N}");

    private static TrainOptions Options(string folder) => new(
        Steps: 12, Inputs: InputKind.Linear, LearningRate: 3e-3, EvalEvery: 4, EvalSamples: 200, ValidationTasks: 4,
        LogEvery: 2, Seed: 5, Out: folder);

    /// <summary>Everything a resumed run must reproduce: the checkpoint's tensors and run state (minus the log length,
    /// whose timing column differs), the log's rows without timings, and the best checkpoint's tensors.</summary>
    private static string Fingerprint(string folder)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in new[] { "checkpoint.safetensors", "best.safetensors" })
        {
            var state = Checkpoint.Load(Path.Combine(folder, name));
            text.Append(name).Append(' ').Append(state.Step).Append('\n');
            foreach (var (key, t) in state.Parameters.Concat(state.Buffers).OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append(key).Append(Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()))).Append('\n');
            foreach (var (key, d) in state.OptimizerState.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append(key).Append(d).Append(Convert.ToHexString(d.Bytes)).Append('\n');
            foreach (var (key, value) in state.RunState!.Where(p => p.Key != "log-bytes").OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append(key).Append('=').Append(value).Append('\n');
        }
        var log = CsvTable.Read(Path.Combine(folder, "log.csv"));
        int rate = log.Columns.ToList().IndexOf("steps_per_s");
        foreach (var row in log.Rows) text.AppendJoin(',', row.Where((_, i) => i != rate)).Append('\n');
        text.Append(File.ReadAllText(Path.Combine(folder, "usage.json")));
        return text.ToString();
    }

    private static string FirstDifference(string expected, string actual)
    {
        var (a, b) = (expected.Split('\n'), actual.Split('\n'));
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return $"line {i}: expected '{Cut(a[i])}', got '{Cut(b[i])}'";
        return $"{a.Length} lines vs {b.Length}";
        static string Cut(string s) => s.Length > 120 ? s[..120] + "…" : s;
    }

    private static int WritesOfAWholeRun(out string fingerprint)
    {
        string folder = TempRun();
        var counter = new FaultPlan(FailAtWrite: 0);
        AtomicFile.Faults = counter;
        try { new TrainingRun(Options(folder)).Train(); }
        finally { AtomicFile.Faults = null; }
        fingerprint = Fingerprint(folder);
        return counter.Writes;
    }

    private static void FailThenResume(string folder, FaultPlan plan)
    {
        AtomicFile.Faults = plan;
        try
        {
            var run = new TrainingRun(Options(folder));
            run.Train();
        }
        catch (SimulatedCrashException) { }
        catch (IOException) when (plan.DiskFullAfterBytes is not null) { }
        finally { AtomicFile.Faults = null; }
        Assert.True(plan.Fired, $"the fault at write {plan.FailAtWrite} did not fire");
        new TrainingRun(Options(folder), resume: true).Train();   // resume: true continues a run if the folder holds one
    }

    [Fact]
    public void A_kill_at_any_write_then_resume_reaches_the_uninterrupted_state_bit_for_bit()
    {
        int writes = WritesOfAWholeRun(out string reference);
        Assert.True(writes > 10, $"{writes} writes");
        for (int k = 1; k <= writes; k++)
        {
            string folder = TempRun();
            FailThenResume(folder, new FaultPlan(k));
            string got = Fingerprint(folder);
            Assert.True(reference == got, $"kill at write {k} of {writes}: the resumed run differs: {FirstDifference(reference, got)}");
            Assert.Empty(Directory.GetFiles(folder, ".*.tmp"));   // the kill's temporary file is removed on start
        }
    }

    [Fact]
    public void A_full_disk_at_any_write_leaves_the_previous_files_and_resume_reaches_the_same_state()
    {
        int writes = WritesOfAWholeRun(out string reference);
        for (int k = 1; k <= writes; k++)
        {
            string folder = TempRun();
            FailThenResume(folder, new FaultPlan(k, DiskFullAfterBytes: 8));
            string got = Fingerprint(folder);
            Assert.True(reference == got, $"full disk at write {k} of {writes}: the resumed run differs: {FirstDifference(reference, got)}");
        }
    }
}
