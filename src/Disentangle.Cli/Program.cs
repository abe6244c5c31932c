using System.CommandLine;
using Disentangle.Cli;

try
{
    ThreadDefaults.Apply();
    StopSignal.Listen();
    // System.CommandLine's own termination handling is off: StopSignal decides (a step boundary, or at once); its
    // exception handler too: ErrorReport turns every failure into one line and a documented exit code.
    return CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReport.Print(e);
}
