using System.Runtime.InteropServices;

namespace Disentangle.Cli;

/// <summary>SIGTERM and SIGINT (Ctrl-C, a Slurm time limit) for the CLI: while a command trains (<see cref="Graceful"/>),
/// the first signal only raises <see cref="Token"/>, so training ends at the next step boundary with a checkpoint; a second
/// signal, or any signal outside training, exits at once with 143 (SIGTERM) or 130 (SIGINT), without a stack trace.</summary>
public static class StopSignal
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int graceful;
    private static int exitCode;

    /// <summary>Raised by the first stop signal while a command trains.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number, as a shell reports it); 0 before any.</summary>
    public static int ExitCode => Volatile.Read(ref exitCode);

    /// <summary>Handles SIGTERM and SIGINT from now on (called once, by <c>Program</c>).</summary>
    public static void Listen()
    {
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, 143)));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, 130)));
    }

    /// <summary>While the returned scope is held, a first signal raises <see cref="Token"/> instead of ending the process.</summary>
    public static IDisposable Graceful()
    {
        Interlocked.Increment(ref graceful);
        return new Scope();
    }

    private static void Handle(PosixSignalContext context, int code)
    {
        context.Cancel = true;                                        // the runtime's own handling would end the process
        bool first = Interlocked.CompareExchange(ref exitCode, code, 0) == 0;
        if (first && Volatile.Read(ref graceful) > 0)
        {
            Console.Error.WriteLine($"{context.Signal}: stopping at the next step boundary (a second signal stops at once)");
            Source.Cancel();
            return;
        }
        Console.Error.WriteLine(first ? $"{context.Signal}: stopped" : $"{context.Signal} again: stopped at once; the last checkpoint is kept");
        Console.Error.Flush();
        Environment.Exit(first ? code : ExitCode);
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref graceful);
        }
    }
}
