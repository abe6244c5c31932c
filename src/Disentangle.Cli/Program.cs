using System.CommandLine;
using Disentangle.Cli;

return CliApp.Build().Parse(args).Invoke();
