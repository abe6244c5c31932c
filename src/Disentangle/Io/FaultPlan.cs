namespace Disentangle.Io;

/// <summary>Thrown by a <see cref="FaultPlan"/> to stand for a process killed mid-write: nothing cleans up after it.</summary>
internal sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>Fault injection into <see cref="AtomicFile"/> (set <see cref="AtomicFile.Faults"/>): at the k-th atomic write
/// (counted from 1 across every file) either the process "dies" — after the bytes are written, before the rename, leaving
/// the temporary file as a kill would — or the disk fills after <see cref="DiskFullAfterBytes"/> bytes.</summary>
/// <param name="FailAtWrite">The write (1-based) that fails; 0 never.</param>
/// <param name="DiskFullAfterBytes">Null: the failing write is a kill; otherwise it runs out of space after this many bytes.</param>
/// <param name="Only">When set, only writes to files with this name count.</param>
internal sealed record FaultPlan(int FailAtWrite, long? DiskFullAfterBytes = null, string? Only = null)
{
    private int _writes;

    /// <summary>Atomic writes counted so far.</summary>
    public int Writes => _writes;

    /// <summary>Whether the failure has fired.</summary>
    public bool Fired { get; private set; }

    internal Stream Wrap(Stream file, string path)
    {
        if (Only is not null && Path.GetFileName(path) != Only) return file;
        int index = Interlocked.Increment(ref _writes);
        bool failing = index == FailAtWrite;
        return failing && DiskFullAfterBytes is { } limit ? new LimitedStream(file, limit, () => Fired = true) : file;
    }

    internal void BeforeRename(string path)
    {
        if (Only is not null && Path.GetFileName(path) != Only) return;
        if (_writes == FailAtWrite && DiskFullAfterBytes is null && !Fired)
        {
            Fired = true;
            throw new SimulatedCrashException($"simulated kill before renaming '{path}' into place");
        }
    }

    /// <summary>Fails with "No space left on device" once <paramref name="limit"/> bytes are written.</summary>
    private sealed class LimitedStream(Stream inner, long limit, Action fired) : PassThroughStream(inner)
    {
        private long _written;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            long room = Math.Max(0, limit - _written);
            if (buffer.Length > room)
            {
                Inner.Write(buffer[..(int)room]);
                _written += room;
                fired();
                throw new IOException("No space left on device (simulated)");
            }
            Inner.Write(buffer);
            _written += buffer.Length;
        }
    }

    /// <summary>A write-only stream forwarding to <see cref="Inner"/>.</summary>
    private abstract class PassThroughStream(Stream inner) : Stream
    {
        protected Stream Inner { get; } = inner;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Inner.Length;
        public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => Inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => Inner.Write(buffer);
        public override void WriteByte(byte value) => Write([value]);
    }
}
