using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

public sealed class SeededRandomTests
{
    [Fact]
    public void Raw_outputs_match_the_xoshiro256_starstar_reference_for_state_1_2_3_4()
    {
        var random = SeededRandom.FromState([1, 2, 3, 4]);
        Assert.Equal(new ulong[] { 11520, 0, 1509978240, 1215971899390074240 },
            Enumerable.Range(0, 4).Select(_ => random.NextUInt64()).ToArray());
    }

    [Fact]
    public void Seeding_expands_the_seed_with_splitmix64()
    {
        Assert.Equal(0xE220A8397B1DCDAFUL, new SeededRandom(0UL).GetState()[0]);   // splitmix64(0), first output
    }

    [Fact]
    public void Same_seed_gives_the_same_stream_and_different_seeds_differ()
    {
        double[] Draw(long seed) { var r = new SeededRandom(seed); return Enumerable.Range(0, 100).Select(_ => r.NextDouble()).ToArray(); }
        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(43));
    }

    [Fact]
    public void Restoring_a_saved_state_continues_the_stream_identically()
    {
        var random = new SeededRandom(7L);
        for (int i = 0; i < 37; i++) random.Next(1000);
        ulong[] state = random.GetState();
        var expected = Enumerable.Range(0, 50).Select(_ => (random.NextDouble(), random.Next(3, 17), random.NextInt64(1L << 40), random.NextGaussian())).ToArray();

        var restored = SeededRandom.FromState(state);
        var again = Enumerable.Range(0, 50).Select(_ => (restored.NextDouble(), restored.Next(3, 17), restored.NextInt64(1L << 40), restored.NextGaussian())).ToArray();
        Assert.Equal(expected, again);

        random.SetState(state);
        Assert.Equal(expected[0].Item1, random.NextDouble());
    }

    [Fact]
    public void Next_double_is_uniform_on_the_unit_interval()
    {
        var random = new SeededRandom(2024L);
        const int n = 200_000;
        double sum = 0, sumSq = 0, min = 1, max = 0;
        var bins = new int[10];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            sum += u; sumSq += u * u; min = Math.Min(min, u); max = Math.Max(max, u);
            bins[(int)(u * 10)]++;
        }
        double mean = sum / n, variance = sumSq / n - mean * mean;
        Assert.InRange(mean, 0.5 - 0.003, 0.5 + 0.003);               // sd of the mean: 0.00065
        Assert.InRange(variance, 1.0 / 12 - 0.001, 1.0 / 12 + 0.001);
        Assert.True(min >= 0 && max < 1);
        double chi2 = bins.Sum(b => (b - n / 10.0) * (b - n / 10.0) / (n / 10.0));
        Assert.True(chi2 < 27.9, $"chi² = {chi2} over 9 degrees of freedom (p < 0.001 threshold 27.9)");
    }

    [Fact]
    public void Bounded_integers_stay_in_range_and_hit_every_value()
    {
        var random = new SeededRandom(5L);
        var seen = new int[7];
        for (int i = 0; i < 7000; i++)
        {
            int v = random.Next(-3, 4);
            Assert.InRange(v, -3, 3);
            seen[v + 3]++;
        }
        Assert.All(seen, c => Assert.InRange(c, 850, 1150));
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(random.Next(), 0, int.MaxValue - 1);
            Assert.InRange(random.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue - 1);
            Assert.InRange(random.NextInt64(3, 5), 3, 4);
            Assert.InRange(random.NextSingle(), 0f, 0.99999994f);
        }
        Assert.Equal(0, random.Next(1));
        Assert.Equal(9, random.Next(9, 9));
    }

    [Fact]
    public void Next_bytes_fills_odd_lengths_from_the_stream()
    {
        var a = new SeededRandom(11L);
        var b = new SeededRandom(11L);
        var bytes = new byte[13];
        a.NextBytes(bytes);
        ulong first = b.NextUInt64(), second = b.NextUInt64();
        Assert.Equal(BitConverter.GetBytes(first), bytes[..8]);
        Assert.Equal(BitConverter.GetBytes(second)[..5], bytes[8..]);
        Assert.Contains(bytes, x => x != 0);
    }

    [Fact]
    public void Forked_children_are_deterministic_distinct_and_leave_the_parent_untouched()
    {
        var parent = new SeededRandom(99L);
        ulong[] before = parent.GetState();
        var c0 = parent.Fork(0).NextDouble();
        var c1 = parent.Fork(1).NextDouble();
        Assert.Equal(before, parent.GetState());
        Assert.Equal(c0, new SeededRandom(99L).Fork(0).NextDouble());
        Assert.NotEqual(c0, c1);
        Assert.NotEqual(parent.NextDouble(), c0);
    }

    [Fact]
    public void Split_children_do_not_depend_on_the_thread_count_and_advance_the_parent()
    {
        double[] Draws(int threads)
        {
            var children = new SeededRandom(3L).Split(16);
            var result = new double[16];
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                double s = 0;
                for (int i = 0; i < 100; i++) s += children[t].NextDouble();
                result[t] = s;
            });
            return result;
        }
        Assert.Equal(Draws(1), Draws(4));
        Assert.Equal(16, Draws(1).Distinct().Count());

        var parent = new SeededRandom(3L);
        var first = parent.Split(2);
        var second = parent.Split(2);
        Assert.NotEqual(first[0].NextUInt64(), second[0].NextUInt64());
    }

    [Fact]
    public void Bad_arguments_throw_with_the_offending_values()
    {
        var random = new SeededRandom(1L);
        Assert.Throws<ArgumentException>(() => random.SetState([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => random.SetState([0, 0, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(-1));
        Assert.Contains("(5)", Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(5, 4)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt64(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Split(-1));
    }
}
