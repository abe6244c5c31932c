using System.Globalization;

namespace Disentangle.Experiments;

/// <summary>Slurm's array index lists: <c>0-3,7,9-10</c> (an optional <c>%N</c> throttle and <c>:step</c> are read too).</summary>
public static class ArrayIndices
{
    /// <summary>Formats sorted distinct indices with runs collapsed: [0, 1, 2, 5] → <c>0-2,5</c>.</summary>
    public static string Format(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToArray();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? Text(sorted[i]) : $"{Text(sorted[i])}-{Text(sorted[j])}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    /// <summary>The indices of a list such as <c>0-2,5</c>, <c>[1-3]</c>, <c>0-7%2</c> or <c>0-6:2</c>.</summary>
    /// <exception cref="FormatException">Not an index list.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        var indices = new List<int>();
        string body = text.Trim().TrimStart('[').TrimEnd(']');
        int throttle = body.IndexOf('%');
        if (throttle >= 0) body = body[..throttle];
        foreach (var part in body.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var stepSplit = part.Split(':');
            int step = stepSplit.Length > 1 ? Number(stepSplit[1]) : 1;
            var range = stepSplit[0].Split('-');
            int first = Number(range[0]), last = range.Length > 1 ? Number(range[1]) : first;
            if (range.Length > 2 || last < first || step < 1) throw new FormatException($"'{text}' is not a Slurm array index list.");
            for (int i = first; i <= last; i += step) indices.Add(i);
        }
        return indices;
    }

    private static int Number(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
        ? value : throw new FormatException($"'{text}' is not an array index.");

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
}
