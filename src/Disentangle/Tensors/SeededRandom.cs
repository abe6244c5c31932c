using System.Numerics;
using System.Runtime.InteropServices;

namespace Disentangle.Tensors;

/// <summary>A <see cref="Random"/> whose whole state (four 64-bit words) can be read and restored, so training resumes
/// bitwise from a checkpoint; with deterministic child streams for per-task parallel draws.</summary>
/// <remarks>Generator: xoshiro256** (Blackman &amp; Vigna 2018), seeded by splitmix64. Every virtual member of
/// <see cref="Random"/> is overridden, so the stream depends only on the seed (never on the .NET version's
/// <see cref="Random"/> internals). Not thread-safe: give each thread its own instance (<see cref="Fork"/>).</remarks>
public sealed class SeededRandom : Random
{
    /// <summary>Number of 64-bit words in <see cref="GetState"/>.</summary>
    public const int StateLength = 4;

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> by splitmix64.</summary>
    public SeededRandom(ulong seed) : base(0)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Creates a generator from a signed seed (its two's-complement bits are used).</summary>
    public SeededRandom(long seed) : this(unchecked((ulong)seed)) { }

    /// <summary>Creates a generator from a saved state (see <see cref="GetState"/>).</summary>
    /// <exception cref="ArgumentException">The state does not have 4 words, or all are zero.</exception>
    public static SeededRandom FromState(ReadOnlySpan<ulong> state)
    {
        var random = new SeededRandom(0UL);
        random.SetState(state);
        return random;
    }

    /// <summary>Returns a copy of the full generator state (4 words); <see cref="SetState"/> with it replays the stream.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state returned by <see cref="GetState"/>; the following draws repeat those made after it was read.</summary>
    /// <exception cref="ArgumentException">The state does not have 4 words, or all are zero (xoshiro's fixed point).</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength)
            throw new ArgumentException($"A SeededRandom state has {StateLength} words but {state.Length} were given.", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("A SeededRandom state cannot be all zeros.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>A child stream that depends only on this generator's current state and <paramref name="index"/>;
    /// it does not advance this generator, so children can be created in any order or thread.</summary>
    /// <remarks>Different indices (and different parent states) give unrelated streams: the 256-bit state and the index
    /// are hashed by splitmix64 into the child's seed. Draw from the parent (or use <see cref="Split"/>) between rounds,
    /// or the same children come back.</remarks>
    public SeededRandom Fork(long index)
    {
        ulong h = 0x6A09E667F3BCC909UL;
        foreach (ulong word in (ReadOnlySpan<ulong>)[_s0, _s1, _s2, _s3, unchecked((ulong)index)])
        {
            h ^= word;
            h = SplitMix64(ref h);
        }
        return new SeededRandom(h);
    }

    /// <summary>Draws one 64-bit key from this generator (advancing it) and returns <paramref name="count"/> children
    /// forked from it: independent per-task streams whose values do not depend on the thread count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public SeededRandom[] Split(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var key = new SeededRandom(NextUInt64());
        var children = new SeededRandom[count];
        for (int i = 0; i < count; i++) children[i] = key.Fork(i);
        return children;
    }

    /// <summary>The next raw 64-bit output of xoshiro256**.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>The next 32 random bits (the high half of <see cref="NextUInt64"/>, the better-mixed bits).</summary>
    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <inheritdoc/>
    public override int Next()
    {
        while (true)
        {
            ulong r = NextUInt64() >> 33;   // [0, 2^31); int.MaxValue is excluded by Random's contract
            if (r != int.MaxValue) return (int)r;
        }
    }

    /// <inheritdoc/>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)BoundedUInt32((uint)maxValue);
    }

    /// <inheritdoc/>
    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue)
            throw new ArgumentOutOfRangeException(nameof(minValue), $"minValue ({minValue}) must not exceed maxValue ({maxValue}).");
        uint range = (uint)(maxValue - minValue);
        return range <= 1 ? minValue : (int)(BoundedUInt32(range) + minValue);
    }

    /// <inheritdoc/>
    public override long NextInt64()
    {
        while (true)
        {
            ulong r = NextUInt64() >> 1;
            if (r != long.MaxValue) return (long)r;
        }
    }

    /// <inheritdoc/>
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)BoundedUInt64((ulong)maxValue);
    }

    /// <inheritdoc/>
    public override long NextInt64(long minValue, long maxValue)
    {
        if (minValue > maxValue)
            throw new ArgumentOutOfRangeException(nameof(minValue), $"minValue ({minValue}) must not exceed maxValue ({maxValue}).");
        ulong range = unchecked((ulong)(maxValue - minValue));
        return range <= 1 ? minValue : unchecked((long)BoundedUInt64(range) + minValue);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <inheritdoc/>
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc/>
    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= sizeof(ulong))
        {
            ulong r = NextUInt64();
            MemoryMarshal.Write(buffer, in r);   // host order; the stream is defined on little-endian hosts
            buffer = buffer[sizeof(ulong)..];
        }
        if (buffer.Length > 0)
        {
            ulong r = NextUInt64();
            for (int i = 0; i < buffer.Length; i++, r >>= 8) buffer[i] = (byte)r;
        }
    }

    /// <inheritdoc/>
    protected override double Sample() => NextDouble();

    // Lemire (2019): unbiased x in [0, range) from a 32×32→64 multiply, rejecting the short low interval.
    private uint BoundedUInt32(uint range)
    {
        ulong m = (ulong)NextUInt32() * range;
        if ((uint)m < range)
        {
            uint threshold = (0u - range) % range;
            while ((uint)m < threshold) m = (ulong)NextUInt32() * range;
        }
        return (uint)(m >> 32);
    }

    private ulong BoundedUInt64(ulong range)
    {
        ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold) high = Math.BigMul(NextUInt64(), range, out low);
        }
        return high;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
