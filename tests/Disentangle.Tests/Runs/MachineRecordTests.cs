using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

public sealed class MachineRecordTests
{
    private static readonly MachineKind Avx512 = new("AMD EPYC 9B14", "512-bit", "OpenBLAS SkylakeX", "oneDNN cpu_isa_avx512_core");
    private static readonly MachineKind Avx2 = new("AMD EPYC", "256-bit", "OpenBLAS Zen", "oneDNN cpu_isa_avx2");

    private static RunFolder TempFolder()
    {
        var folder = new RunFolder(Path.Combine(Path.GetTempPath(), $"disentangle-machine-{Guid.NewGuid():N}"));
        folder.Create();
        return folder;
    }

    [Fact]
    public void A_new_run_records_its_machine_and_a_resume_on_the_same_kernels_adds_nothing()
    {
        var folder = TempFolder();
        Assert.Empty(MachineRecord.Read(folder));
        Assert.Null(MachineRecord.Continue(folder, 0, Avx2));
        Assert.Null(MachineRecord.Continue(folder, 500, Avx2 with { Cpu = "AMD EPYC 7B13" }));   // the name does not decide the kernels
        Assert.Equal([new MachineStretch(0, Avx2)], MachineRecord.Read(folder));
        Assert.Null(MachineRecord.RetrainingDiffers(folder, Avx2));
    }

    [Fact]
    public void A_resume_on_other_kernels_adds_a_stretch_and_says_the_run_is_no_longer_bitwise_either_machines()
    {
        var folder = TempFolder();
        MachineRecord.Continue(folder, 0, Avx512);
        string? change = MachineRecord.Continue(folder, 1200, Avx2);
        Assert.NotNull(change);
        Assert.Contains("steps 0–1200", change);
        Assert.Contains(Avx512.Describe(), change);
        Assert.Contains(Avx2.Describe(), change);
        Assert.Equal([new MachineStretch(0, Avx512), new MachineStretch(1200, Avx2)], MachineRecord.Read(folder));

        string? differs = MachineRecord.RetrainingDiffers(folder, Avx2);   // its first 1,200 steps ran other kernels
        Assert.NotNull(differs);
        Assert.Contains(Avx512.Describe(), differs);
        Assert.DoesNotContain($"trained on {Avx2.Describe()}", differs);
        Assert.Contains(Avx2.Describe(), MachineRecord.RetrainingDiffers(folder, Avx512 with { Gemm = "OpenBLAS Haswell" }));
    }

    [Fact]
    public void A_stretch_that_no_kept_checkpoint_reached_is_dropped_and_step_0_starts_afresh()
    {
        var folder = TempFolder();
        MachineRecord.Continue(folder, 0, Avx512);
        MachineRecord.Continue(folder, 1200, Avx2);
        // the AVX2 stretch crashed before its next checkpoint: the run resumes from step 1200 on the first machine again
        Assert.Null(MachineRecord.Continue(folder, 1200, Avx512));
        Assert.Equal([new MachineStretch(0, Avx512)], MachineRecord.Read(folder));
        Assert.Null(MachineRecord.Continue(folder, 0, Avx2));
        Assert.Equal([new MachineStretch(0, Avx2)], MachineRecord.Read(folder));
    }

    [Fact]
    public void The_current_machine_names_the_kernels_of_the_backends_in_use()
    {
        var here = MachineKind.Current();
        Assert.Matches("^(512|256|128|64)-bit$", here.Vectors);
        Assert.StartsWith(Gemm.Backend == GemmBackend.OpenBlas ? "OpenBLAS " : "managed SIMD", here.Gemm);
        Assert.StartsWith(Convolution.Current == ConvBackend.OneDnn ? "oneDNN cpu_isa_" : "im2col + ", here.Convolutions);
        Assert.DoesNotContain("unknown", here.Gemm + here.Convolutions);
        Assert.False(string.IsNullOrWhiteSpace(here.Cpu));
        if (Convolution.Default != ConvBackend.OneDnn) return;
        using (Convolution.Override(ConvBackend.Im2ColGemm))   // another backend is another kind of machine
            Assert.False(MachineKind.Current().SameKernels(here));
    }

    [Fact]
    public void Training_records_its_machine_and_a_resume_elsewhere_is_told_so()
    {
        string path = Path.Combine(Path.GetTempPath(), $"disentangle-run-{Guid.NewGuid():N}");
        var options = new TrainOptions(Steps: 4, Tasks: 2, InnerShots: 8, OuterShots: 8, EvalEvery: 2, EvalSamples: 64, ValidationTasks: 2,
            LogEvery: 2, Inputs: InputKind.Linear, Seed: 3, Out: path);
        var first = new TrainingRun(options);
        Assert.Null(first.MachineChange);
        first.Train();
        var folder = new RunFolder(path);
        Assert.Equal([new MachineStretch(0, MachineKind.Current())], MachineRecord.Read(folder));

        Disentangle.Io.JsonFiles.Write(folder.Machine, new[] { new MachineStretch(0, Avx512 with { Gemm = "OpenBLAS Cooperlake" }) });
        var resumed = new TrainingRun(options with { Steps = 6 }, resume: true);
        Assert.Contains("OpenBLAS Cooperlake", resumed.MachineChange);
        resumed.Train();
        Assert.Equal([new MachineStretch(0, Avx512 with { Gemm = "OpenBLAS Cooperlake" }), new MachineStretch(4, MachineKind.Current())],
            MachineRecord.Read(folder));
    }
}
