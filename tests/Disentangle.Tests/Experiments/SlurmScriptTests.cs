using System.Text.Json.Nodes;
using Disentangle.Experiments;

namespace Disentangle.Tests.Experiments;

public sealed class SlurmScriptTests
{
    private static readonly SlurmLauncher Dll = SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/d/Disentangle.Cli.dll");

    private static SweepSpec Seeds(int count) => new("s", new JsonObject(), [new("seed", new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)i)]))]);

    [Fact]
    public void Script_asks_for_cpus_time_and_extra_lines_and_stops_runs_with_sigterm_before_the_limit()
    {
        var options = new SlurmOptions(CpusPerTask: 3, Hours: 1.5, SbatchArgs: ["--partition=gpu", "--account=abc", "--mem=8G", "--qos=short"]);
        var script = SlurmScript.Write(Seeds(4), [1, 2, 3], "/r/s", "/r/s/sweep.json", "/r", Dll, options);
        var lines = script.Split('\n');
        Assert.Contains("#SBATCH --array=1-3", lines);
        Assert.Contains("#SBATCH --cpus-per-task=3", lines);
        Assert.Contains("#SBATCH --time=1:30:00", lines);
        Assert.Contains("#SBATCH --signal=B:TERM@300", lines);
        Assert.Contains("#SBATCH --output=/r/s/slurm-%A_%a.out", lines);
        foreach (var extra in options.SbatchArgs!) Assert.Contains($"#SBATCH {extra}", lines);
        // every #SBATCH line precedes the first command, or sbatch ignores it
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH")) < firstCommand);
        Assert.Contains("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-3}\"", script);
        Assert.Contains("exec \"/usr/bin/dotnet\" \"/opt/d/Disentangle.Cli.dll\" sweep \"/r/s/sweep.json\" --root \"/r\" --index \"${SLURM_ARRAY_TASK_ID}\"", script);
        Assert.Contains("#   3 = seed=3\n", script);
        Assert.DoesNotContain("0 = seed=0", script);                         // index 0 is not in this array
    }

    [Theory]
    [InlineData(0, 4.0, "--cpus-per-task")]
    [InlineData(2, -3.0, "--hours")]
    [InlineData(2, 0.0, "--hours")]
    [InlineData(2, double.NaN, "--hours")]
    public void Out_of_range_cpus_or_hours_are_refused_naming_the_flag(int cpus, double hours, string flag)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new SlurmOptions(cpus, hours).Validate());
        Assert.Contains(flag, e.Message);
    }

    [Theory]
    [InlineData("partition=gpu")]
    [InlineData("--array=0-9")]
    [InlineData("--time=1:00:00")]
    [InlineData("--partition=gpu\n#SBATCH --array=1")]
    public void Extra_sbatch_lines_that_are_malformed_or_set_what_the_script_sets_are_refused(string line) =>
        Assert.Contains("--sbatch-arg", Assert.ThrowsAny<ArgumentException>(() => new SlurmOptions(SbatchArgs: [line]).Validate()).Message);

    [Fact]
    public void A_launcher_that_does_not_exist_or_builds_on_demand_is_refused()
    {
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => SlurmLauncher.FromPath("/nonexistent/disentangle", "dotnet")).Message);
        Assert.Throws<FileNotFoundException>(() => SlurmLauncher.FromPath("no-such-command-here", "dotnet"));
        string script = Path.Combine(Directory.CreateTempSubdirectory("launcher").FullName, "disentangle");
        File.WriteAllText(script, "#!/usr/bin/env bash\ndotnet build src/Disentangle.Cli -c Release\nexec dotnet x.dll \"$@\"\n");
        Assert.Contains("builds and installs on demand", Assert.Throws<ArgumentException>(() => SlurmLauncher.FromPath(script, "dotnet")).Message);
        string dll = Path.ChangeExtension(script, ".dll");
        File.WriteAllText(dll, "");
        Assert.Equal($"\"/usr/bin/dotnet\" \"{dll}\"", SlurmLauncher.FromPath(dll, "/usr/bin/dotnet").Command);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 5 }, "0-2,5")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 7, 1, 2, 9, 8 }, "1-2,7-9")]
    public void Array_indices_are_written_as_ranges_and_read_back(int[] indices, string text)
    {
        Assert.Equal(text, ArrayIndices.Format(indices));
        Assert.Equal(indices.Order(), ArrayIndices.Parse(text));
    }

    [Fact]
    public void Array_indices_read_slurms_brackets_throttles_and_steps() =>
        Assert.Equal([1, 2, 3, 5, 8, 10], ArrayIndices.Parse("[1-3,5,8-10:2%4]"));

    [Fact]
    public void A_sweep_name_that_leaves_the_root_is_refused_and_grid_values_cannot_leave_runs()
    {
        var root = Directory.CreateTempSubdirectory("sweep-root").FullName;
        Assert.Contains("plain folder name", Assert.Throws<InvalidDataException>(() => new SweepRunner(new SweepSpec("../../x", new JsonObject(), [new("seed", new JsonArray(0))]), root)).Message);
        var spec = new SweepSpec("s", new JsonObject(), [new("data", new JsonArray("../../x", "/data/3dshapes.h5"))]);
        var plan = new SweepRunner(spec, root).Plan();
        Assert.All(plan, p => Assert.Equal(Path.Combine(root, "s", "runs"), Path.GetDirectoryName(p.Options.Out)));
        Assert.Equal(["data=..%2F..%2Fx", "data=%2Fdata%2F3dshapes.h5"], plan.Select(p => p.Run.Name));
        var file = Path.Combine(root, "bad.json");
        File.WriteAllText(file, """{"name": "../escape", "grid": {"seed": [0]}}""");
        Assert.Throws<InvalidDataException>(() => SweepSpec.Load(file));
    }
}

public sealed class SlurmStateTests
{
    [Fact]
    public void Scontrol_records_give_one_state_per_array_task_including_pending_ranges()
    {
        const string records = """
            JobId=21 ArrayJobId=20 ArrayTaskId=1 JobName=e2e UserId=root(0) JobState=RUNNING Reason=None ExitCode=0:0 RunTime=00:00:05
            JobId=20 ArrayJobId=20 ArrayTaskId=2-4%2 JobName=e2e UserId=root(0) JobState=PENDING Reason=Resources ExitCode=0:0
            JobId=22 ArrayJobId=20 ArrayTaskId=0 JobName=e2e UserId=root(0) JobState=FAILED Reason=NonZeroExitCode ExitCode=143:0
            JobId=9 ArrayJobId=8 ArrayTaskId=5 JobName=other JobState=COMPLETED ExitCode=0:0
            """;
        var states = SlurmScheduler.ParseScontrol("20", records);
        Assert.Equal([0, 1, 2, 3, 4], states.Keys.Order());
        Assert.Equal(("FAILED", "143:0", false), (states[0].State, states[0].ExitCode, states[0].IsLive));
        Assert.True(states[1].IsLive && states[3].IsLive);
        Assert.Equal("PENDING", states[4].State);
    }

    [Fact]
    public void Sacct_rows_give_one_state_per_array_task()
    {
        var states = SlurmScheduler.ParseSacct("17", "17_0|COMPLETED|0:0\n17_[1-2]|PENDING|0:0\n17_3|CANCELLED by 0|0:15\n17_4|TIMEOUT|0:0\n170_1|RUNNING|0:0\n");
        Assert.Equal([0, 1, 2, 3, 4], states.Keys.Order());
        Assert.Equal(("CANCELLED", "0:15"), (states[3].State, states[3].ExitCode));
        Assert.Equal("sacct", states[4].Source);
    }
}
