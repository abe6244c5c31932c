using System.CommandLine;
using Disentangle.Cli;

ThreadDefaults.Apply();
StopSignal.Listen();
// System.CommandLine's own termination handling is off: StopSignal decides (a step boundary, or at once).
return CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
