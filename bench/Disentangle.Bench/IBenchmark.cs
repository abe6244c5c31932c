namespace Disentangle.Bench;

/// <summary>One benchmark's C# side, found by reflection and started as <c>Disentangle.Bench NAME [args]</c>.</summary>
/// <remarks>The peer (Python) side lives in <c>bench/NAME/</c>; <c>bench/NAME/run.sh</c> alternates the two and prints the
/// last line of <c>key=value</c> figures.</remarks>
public interface IBenchmark
{
    /// <summary>The name used on the command line (the folder name under <c>bench/</c>).</summary>
    string Name { get; }

    /// <summary>Runs once with the given arguments and prints its figures; returns the exit code.</summary>
    int Run(string[] args);
}
