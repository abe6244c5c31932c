using Disentangle.Experiments;

namespace Disentangle.Tests.Experiments;

/// <summary>The one-node Slurm cluster of <c>scripts/local-slurm.sh</c>, as the end-to-end tests use it.</summary>
public static class LocalSlurm
{
    private static readonly Lazy<string?> Reason = new(Check);

    /// <summary>Why the Slurm tests cannot run here, or null when a local test cluster answers.</summary>
    public static string? Unavailable() => Reason.Value;

    /// <summary>Runs a Slurm command; its exit code and output.</summary>
    public static (int Code, string Output) Command(string command, params string[] arguments)
    {
        var result = SlurmScheduler.Run(command, arguments, TimeSpan.FromSeconds(30));
        Assert.True(result is not null, $"{command} is not installed");
        return (result.Value.Code, result.Value.Output + result.Value.Error);
    }

    private static string? Check()
    {
        const string start = "start one as root with: bash scripts/local-slurm.sh (.ci/run does)";
        if (SlurmScheduler.Run("sinfo", ["-h", "-o", "%T"], TimeSpan.FromSeconds(20)) is not var (code, states, error))
            return $"Slurm is not installed here (no sinfo on PATH); {start}";
        if (code != 0 || !states.Split('\n').Any(s => s.StartsWith("idle") || s.StartsWith("mixed") || s.StartsWith("alloc")))
            return $"no Slurm controller with a working node answers (sinfo: {(error + states).Trim()}); {start}";
        if (SlurmScheduler.Run("scontrol", ["show", "config"], TimeSpan.FromSeconds(20)) is not (0, var config, _))
            return "scontrol show config does not answer";
        bool local = config.Split('\n').Any(l => l.Replace(" ", "") == "ClusterName=local");
        if (!local && Environment.GetEnvironmentVariable("DISENTANGLE_SLURM_TESTS") != "1")
            return "the Slurm cluster here is not the local test cluster of scripts/local-slurm.sh (ClusterName=local); "
                + "set DISENTANGLE_SLURM_TESTS=1 to submit the test jobs to it anyway";
        return null;
    }
}
