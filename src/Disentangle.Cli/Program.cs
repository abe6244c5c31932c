using System.CommandLine;
using Disentangle.Cli;

try
{
    return CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReport.Print(e);
}
