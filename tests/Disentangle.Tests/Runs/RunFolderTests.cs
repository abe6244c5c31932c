using Disentangle.Runs;
using Disentangle.Tests.Io;

namespace Disentangle.Tests.Runs;

public sealed class RunFolderTests
{
    [Theory]
    [InlineData("eval-last-uniform.json", true)]
    [InlineData("eval-last-ica-uniform.json", true)]   // an inner-ridge-ica run is scored only after FastICA
    [InlineData("eval-best-uniform.json", false)]      // the last checkpoint's step is what says it finished
    public void A_run_is_kept_without_checkpoints_when_it_has_its_config_and_its_last_evaluation(string evaluation, bool kept)
    {
        using var dir = new TempDirectory();
        var folder = new RunFolder(dir.File("run"));
        folder.Create();
        File.WriteAllText(folder.Config, "{}");
        File.WriteAllText(folder.File(evaluation), "{}");
        Assert.Equal(kept, folder.IsKept);
        Assert.Equal(kept ? folder.File(evaluation) : folder.File("eval-last-uniform.json"), folder.LastEvaluation);
        File.WriteAllText(folder.Checkpoint, "");   // with its checkpoint it is a run like any other
        Assert.False(folder.IsKept);
    }
}
