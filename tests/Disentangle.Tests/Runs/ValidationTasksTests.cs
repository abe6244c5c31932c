using Disentangle.Data.Rendering;
using Disentangle.Data.Tasks;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

/// <summary><see cref="ValidationTasks"/> keeps its tasks' images after the first evaluation, and the loss it then computes
/// is the loss of freshly drawn tasks, bit for bit.</summary>
public sealed class ValidationTasksTests
{
    [Fact]
    public void The_second_evaluation_reads_kept_images_and_gives_the_fresh_loss()
    {
        var options = new TrainOptions(Tasks: 2, InnerShots: 5, OuterShots: 5, ZDim: 6, Seed: 3);
        var source = new RenderedShapes();
        var inputs = TrainingInputs.Create(options, source);
        var step = new BilevelStep(options, inputs, inputs.CreateEncoder(6, new Random(1)));
        var batches = new TaskBatchOptions(options.Tasks, options.InnerShots, options.OuterShots, Seed: 3);
        var validation = new ValidationTasks(source, batches, 25);   // two batches of 10 kept, 5 tasks drawn each time
        Assert.Equal(0, validation.KeptBytes);
        double first = validation.Loss(step);
        Assert.Equal(2 * 10 * 10 * ShapesImage.Bytes, validation.KeptBytes);
        Assert.Equal(first, validation.Loss(step));
        Assert.Equal(first, new ValidationTasks(source, batches, 25).Loss(step));
    }
}
