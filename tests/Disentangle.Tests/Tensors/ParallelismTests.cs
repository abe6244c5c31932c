using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

public sealed class ParallelismTests
{
    [Fact]
    public async Task A_scope_sets_the_threads_of_its_flow_and_of_the_loops_it_starts_then_restores_them()
    {
        int outside = Parallelism.MaxThreads;
        var scope = Parallelism.Scope(1);
        try
        {
            Assert.Equal(1, Parallelism.MaxThreads);
            Assert.Equal(1, Parallelism.Options.MaxDegreeOfParallelism);
            Assert.Equal(1, Parallelism.Resolve(-1));
            Assert.Equal(1, Parallelism.Resolve(8));   // an explicit request is capped by the policy
            var seen = new int[4];
            Parallel.For(0, 4, Parallelism.Options, i => seen[i] = Parallelism.MaxThreads);
            Assert.All(seen, n => Assert.Equal(1, n));
            Assert.Equal(1, await Task.Run(() => Parallelism.MaxThreads));
            Assert.Contains("threads: 1 (this run", Parallelism.Describe());
        }
        finally { scope.Dispose(); }
        Assert.Equal(outside, Parallelism.MaxThreads);
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Scope(0));
    }

    [Fact]
    public void The_default_is_all_cores_unless_slurm_sets_cpus_per_task()
    {
        int expected = int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int n) && n >= 1 ? n : Environment.ProcessorCount;
        Assert.Equal(expected, Parallelism.DefaultThreads);
    }
}
