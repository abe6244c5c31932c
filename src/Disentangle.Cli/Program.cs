using Disentangle.Cli;

try
{
    StopSignal.Listen();
    // System.CommandLine's own termination handling is off: StopSignal decides (a step boundary, or at once); its
    // exception handler too: ErrorReport turns every failure into one line and a documented exit code.
    return CliApp.Run(args);
}
catch (Exception e)
{
    return ErrorReport.Print(e);
}
