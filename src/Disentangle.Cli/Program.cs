using Disentangle.Cli;

StopSignal.Listen();
return CliApp.Run(args);
