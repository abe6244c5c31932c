using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Runs;

/// <summary>A stretch of a run's training on one kind of machine: from step <paramref name="FromStep"/> to the next
/// stretch's first step (or the run's last).</summary>
/// <param name="FromStep">The step the stretch starts from (0, or the checkpoint a resume continued).</param>
/// <param name="Machine">The machine and kernels that trained it.</param>
public sealed record MachineStretch(long FromStep, MachineKind Machine);

/// <summary>Which machines trained a run (<c>machine.json</c> in the run folder, a list of <see cref="MachineStretch"/>):
/// a run is bitwise reproducible from its seed and thread count only with the same kernels, so <c>train --resume</c> on
/// another kind of machine (<see cref="MachineKind.SameKernels"/>) adds a stretch and says so, and a run kept without its
/// checkpoints tells whoever would train it again which machine gives the same bits.</summary>
public static class MachineRecord
{
    /// <summary>The stretches recorded in <paramref name="folder"/>, first to last; empty for a run from before machine
    /// records were kept.</summary>
    public static IReadOnlyList<MachineStretch> Read(RunFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return File.Exists(folder.Machine) ? JsonFiles.Read<MachineStretch[]>(folder.Machine) : [];
    }

    /// <summary>Records that training goes on from <paramref name="step"/> on <paramref name="current"/>: a new run (step
    /// 0) starts the record afresh; a resume keeps the stretches that reached a step below <paramref name="step"/> and
    /// adds one when the last of them ran other kernels.</summary>
    /// <returns>What the change means for the run's numbers when the kernels changed; null when they did not, or when
    /// nothing was recorded before.</returns>
    public static string? Continue(RunFolder folder, long step, MachineKind current)
    {
        ArgumentNullException.ThrowIfNull(current);
        // a stretch that started at or after the checkpoint trained nothing that the run keeps
        var kept = Read(folder).Where(s => s.FromStep < step).ToList();
        string? change = kept.Count > 0 && !kept[^1].Machine.SameKernels(current)
            ? $"'{folder.Path}' trained steps {kept[^1].FromStep}–{step} on another kind of machine ({kept[^1].Machine.Describe()}); "
              + $"this one is {current.Describe()}. It goes on from step {step} with other kernels, so its numbers will not be bitwise "
              + $"those of an uninterrupted run on either machine ({Path.GetFileName(folder.Machine)} records both)."
            : null;
        if (kept.Count == 0 || change is not null) kept.Add(new MachineStretch(step, current));
        JsonFiles.Write(folder.Machine, kept.ToArray());
        return change;
    }

    /// <summary>Why training the run in <paramref name="folder"/> again here would not give its numbers back: the machine
    /// whose kernels trained it when they differ from <paramref name="current"/>'s; null when they agree or nothing is recorded.</summary>
    public static string? RetrainingDiffers(RunFolder folder, MachineKind current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var others = Read(folder).Select(s => s.Machine).Where(m => !m.SameKernels(current)).Distinct().ToArray();
        return others.Length == 0 ? null
            : $"it was trained on {string.Join(" and ", others.Select(m => m.Describe()))}; this machine runs other kernels "
              + $"({current.Describe()}), so a run trained again here is another draw, not these numbers";
    }
}
