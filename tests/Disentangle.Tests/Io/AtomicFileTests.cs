using Disentangle.Io;
using Disentangle.Runs;

namespace Disentangle.Tests.Io;

public sealed class AtomicFileTests
{
    private static string TempFolder() => Directory.CreateTempSubdirectory("disentangle-atomic").FullName;

    [Fact]
    public void A_kill_before_the_rename_keeps_the_old_file_and_its_temporary_is_removed_on_start()
    {
        string folder = TempFolder(), path = Path.Combine(folder, "config.json");
        AtomicFile.WriteText(path, "old");
        AtomicFile.Faults = new FaultPlan(1);
        try { Assert.Throws<SimulatedCrashException>(() => AtomicFile.WriteText(path, "new")); }
        finally { AtomicFile.Faults = null; }
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder, ".config.json.*.tmp"));
        File.WriteAllText(Path.Combine(folder, ".notes.tmp"), "a user's file");   // not ours: kept
        Assert.Equal(1, AtomicFile.RemoveStale(folder));
        Assert.Equal(["config.json", ".notes.tmp"], Directory.GetFiles(folder).Select(Path.GetFileName).Order().Reverse());
    }

    [Fact]
    public void A_full_disk_keeps_the_old_file_and_leaves_no_temporary()
    {
        string folder = TempFolder(), path = Path.Combine(folder, "best.safetensors");
        AtomicFile.WriteText(path, "old");
        AtomicFile.Faults = new FaultPlan(1, DiskFullAfterBytes: 2);
        try { Assert.Contains("No space", Assert.Throws<IOException>(() => AtomicFile.WriteText(path, "new contents")).Message); }
        finally { AtomicFile.Faults = null; }
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Writing_onto_a_folder_is_refused_by_name()
    {
        string folder = TempFolder();
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => AtomicFile.WriteText(folder, "x")).Message);
    }

    [Fact]
    public void A_run_folder_lock_keeps_a_second_holder_off_until_released()
    {
        string folder = TempFolder();
        using (RunLock.Acquire(folder))
            Assert.Contains("in use", Assert.Throws<InvalidOperationException>(() => RunLock.Acquire(folder)).Message);
        RunLock.Acquire(folder).Dispose();
    }
}
