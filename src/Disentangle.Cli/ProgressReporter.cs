using System.Diagnostics;
using Spectre.Console;

namespace Disentangle.Cli;

/// <summary>Shows progress of a long job on stderr (as tqdm does; results go to stdout): a Spectre.Console bar with ETA
/// on a terminal, plain lines when stderr is redirected.</summary>
public static class ProgressReporter
{
    private static volatile bool live;
    private static readonly IAnsiConsole s_error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Prints a progress line to stderr: above the progress bar while one is shown, plainly otherwise.</summary>
    public static void WriteLine(string line)
    {
        if (live) s_error.WriteLine(line);
        else Console.Error.WriteLine(line);
    }

    /// <summary>Runs <paramref name="work"/>, which reports finished units (out of <paramref name="total"/>) to its progress argument.</summary>
    public static TResult Run<TResult>(string label, int total, Func<IProgress<int>, TResult> work)
    {
        var clock = Stopwatch.StartNew();
        TResult result;
        if (Console.IsErrorRedirected || !s_error.Profile.Capabilities.Interactive)
        {
            int lastPercent = -1;
            var gate = new object();
            result = work(new Progress(done =>
            {
                int percent = (int)(100L * done / Math.Max(total, 1));
                lock (gate)
                {
                    if (percent / 10 == lastPercent / 10 && done != total) return;
                    lastPercent = percent;
                    Console.Error.WriteLine($"{label}: {done}/{total} ({percent}%) {clock.Elapsed:hh\\:mm\\:ss}");
                }
            }));
        }
        else
        {
            TResult? inner = default;
            s_error.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(label, maxValue: total);
                    live = true;
                    try { inner = work(new Progress(done => task.Value = done)); }
                    finally { live = false; }
                    task.Value = total;
                });
            result = inner!;
        }
        Console.Error.WriteLine($"{label}: done in {clock.Elapsed:hh\\:mm\\:ss}");
        return result;
    }

    /// <summary>A synchronous <see cref="IProgress{T}"/> (System.Progress posts to a context and can arrive late).</summary>
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
