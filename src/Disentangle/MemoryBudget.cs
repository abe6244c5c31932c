using System.Globalization;

namespace Disentangle;

/// <summary>Checks, before anything is allocated or written, that the sizes a command asks for fit in the memory
/// available; an option that does not fit is rejected like any other out-of-range option, naming it.</summary>
/// <remarks>Estimates are deliberately coarse (the large arrays only, with a factor for activations and gradients):
/// the point is to refuse a request off by orders of magnitude with a message instead of an OutOfMemoryException minutes later.</remarks>
public static class MemoryBudget
{
    /// <summary>Bytes this process can use: the smaller of the runtime's limit (container limits included) and the
    /// system's available memory (<c>MemAvailable</c> of <c>/proc/meminfo</c> where readable).</summary>
    public static long Available
    {
        get
        {
            long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                        && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                        return Math.Min(limit, kb * 1024 + GC.GetTotalMemory(false));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return limit;
        }
    }

    /// <summary>Throws unless <paramref name="bytes"/> (computed in floating point, so that huge requests do not overflow)
    /// fit in <see cref="Available"/>.</summary>
    /// <param name="bytes">The estimated need.</param>
    /// <param name="name">The option that sets the size (its options-record name, as for <see cref="ArgumentOutOfRangeException"/>).</param>
    /// <param name="value">Its value.</param>
    /// <param name="what">What the memory holds, for the message.</param>
    /// <exception cref="ArgumentOutOfRangeException">The estimate exceeds the available memory.</exception>
    public static void Ensure(double bytes, string name, object value, string what)
    {
        long available = Available;
        if (bytes <= available) return;
        throw new ArgumentOutOfRangeException(name, value,
            $"{name} = {value} needs about {Size(bytes)} of memory for {what}, but {Size(available)} is available; lower it.");
    }

    /// <summary>A byte count in human units (MB, GB, TB).</summary>
    public static string Size(double bytes) => bytes switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:0.#} TB"),
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
    };
}
