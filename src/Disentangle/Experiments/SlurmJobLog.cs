using System.Globalization;

namespace Disentangle.Experiments;

/// <summary>One submission of a sweep's array: the job id and the indices it runs.</summary>
public sealed record SlurmSubmission(string JobId, IReadOnlyList<int> Indices, DateTimeOffset Time);

/// <summary>The submissions of a sweep, one line each in <c>slurm-jobs.tsv</c> of the sweep folder (job id, indices, time),
/// so that <c>sweep --status</c> knows which job ran each index last.</summary>
public static class SlurmJobLog
{
    /// <summary>The file's name in the sweep folder.</summary>
    public const string FileName = "slurm-jobs.tsv";

    /// <summary>Appends a submission (the file is rewritten atomically).</summary>
    public static void Append(string sweepFolder, SlurmSubmission submission)
    {
        var lines = Read(sweepFolder).Append(submission)
            .Select(s => $"{s.JobId}\t{ArrayIndices.Format(s.Indices)}\t{s.Time.ToString("O", CultureInfo.InvariantCulture)}\n");
        Io.AtomicFile.Write(Path.Combine(sweepFolder, FileName), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines))));
    }

    /// <summary>The submissions so far, oldest first (none when the file is absent).</summary>
    /// <exception cref="InvalidDataException">A line is malformed.</exception>
    public static IReadOnlyList<SlurmSubmission> Read(string sweepFolder)
    {
        string path = Path.Combine(sweepFolder, FileName);
        if (!File.Exists(path)) return [];
        var submissions = new List<SlurmSubmission>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var cells = line.Split('\t');
            try { submissions.Add(new SlurmSubmission(cells[0], ArrayIndices.Parse(cells[1]), DateTimeOffset.Parse(cells[2], CultureInfo.InvariantCulture))); }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"'{path}': malformed line '{line}' (expected: job id, indices, time).", e);
            }
        }
        return submissions;
    }

    /// <summary>For each index, the last submission that ran it.</summary>
    public static IReadOnlyDictionary<int, string> LastJobByIndex(string sweepFolder)
    {
        var last = new Dictionary<int, string>();
        foreach (var submission in Read(sweepFolder))
            foreach (int i in submission.Indices) last[i] = submission.JobId;
        return last;
    }
}
