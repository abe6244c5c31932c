using Disentangle.Cli;

return CliApp.Run(args);
