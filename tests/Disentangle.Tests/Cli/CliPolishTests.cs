using Disentangle.Cli;
using Disentangle.Cli.Commands;

namespace Disentangle.Tests.Cli;

[Collection(nameof(ConsoleCollection))]
public sealed class CliPolishTests
{
    private static (int ExitCode, string Output) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void A_log_line_shows_the_inner_gap_or_a_dash_where_least_squares_has_none()
    {
        var entry = new Disentangle.Runs.TrainLogEntry(50, 0.25, 6, 3, 1.5e-9, 1, 5, 0.3, 0.91, 0.97);
        Assert.Equal("step 50/2000 loss 0.25 support 6.00 epochs 3.0 gap 1.5E-09 | val 0.3 MCC 0.910 R 0.970 | 5.00 steps/s ETA 00:06:30",
            TrainLogFormat.Line(entry, 2000));
        Assert.Contains(" gap - | ", TrainLogFormat.Line(entry with { InnerGap = double.NaN }, 2000));
    }

    [Fact]
    public void Completion_scripts_list_every_command_and_every_flag_of_the_tree()
    {
        var root = CliApp.Build();
        string bash = CompletionCommand.Bash(root), zsh = CompletionCommand.Zsh(root);
        foreach (var command in root.Subcommands)
        {
            Assert.Contains(command.Name, bash);
            Assert.Contains($"'{command.Name}:", zsh);
            foreach (var option in command.Options.Where(o => !o.Hidden))
            {
                Assert.Contains(option.Name, bash);
                Assert.Contains($"'{option.Name}[", zsh);
            }
        }
        Assert.Contains("complete -o default -F _disentangle disentangle", bash);
        var (code, output) = Run("completion", "bash");
        Assert.Equal(0, code);
        Assert.Equal(bash, output);
    }

    [Fact]
    public void Help_shows_typed_placeholders_and_unquoted_defaults()
    {
        var (_, output) = Run("train", "--help");
        Assert.Contains("--steps <int>", output);
        Assert.Contains("--learning-rate <float>", output);
        Assert.Contains("(default: harder_gauss_0.9)", output);
        Assert.DoesNotContain("(default: \"", output);
    }

    [Fact]
    public void A_flag_whose_default_is_on_has_a_no_form_that_turns_it_off()
    {
        var command = new System.CommandLine.Command("meta-train");
        var binder = new ConfigBinder<Disentangle.Experiments.MetaLearningOptions>(command, new Disentangle.Experiments.MetaLearningOptions());
        binder.Add<bool>("--augment", "random crop and flip");
        Assert.True(binder.Bind(command.Parse([])).Augment);
        Assert.False(binder.Bind(command.Parse(["--no-augment"])).Augment);
        Assert.Contains(CliApp.Build().Subcommands.Single(c => c.Name == "meta-train").Options, o => o.Name == "--no-augment");
    }

    [Theory]
    [InlineData("Steps", "--steps")]
    [InlineData("EvalSamples", "--eval-samples")]
    [InlineData("LambdaRatio", "--lambda-ratio")]
    public void Option_record_names_map_to_their_flags(string property, string flag) => Assert.Equal(flag, ErrorReport.FlagOf(property));

    [Fact]
    public void Version_is_one_number_everywhere()
    {
        // `--version` prints the entry assembly's informational version (in process that is the test host's), so the
        // CLI assembly's own is checked, with the library's that `info` and config.json show
        string Informational(Type type) => System.Reflection.CustomAttributeExtensions
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(type.Assembly)!.InformationalVersion;
        Assert.Equal("1.0.0", Informational(typeof(CliApp)));
        Assert.Equal("1.0.0", Disentangle.Io.ConfigFile.Version);
    }
}
