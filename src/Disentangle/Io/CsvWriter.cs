using System.Globalization;
using System.Text;

namespace Disentangle.Io;

/// <summary>Appends rows to a CSV log, one flushed line per row, so an interrupted run keeps every completed row.</summary>
/// <remarks>RFC 4180 quoting; invariant culture; doubles and floats in shortest round-trip form ("R": parsing the text
/// gives back the same bits), non-finite values as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> (which Python's
/// <c>float()</c> and pandas read); booleans as <c>true</c>/<c>false</c>; null as an empty field; <c>\n</c> line ends.
/// The header is written once: when appending to an existing file, its header must match and a partial last line
/// (from a crash during a write) is dropped.</remarks>
public sealed class CsvWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string[] _columns;
    private readonly StringBuilder _line = new();

    /// <summary>Opens <paramref name="path"/> for writing rows with the given columns.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Column names (non-empty, distinct).</param>
    /// <param name="append">True: keep an existing file's rows (its header must equal <paramref name="columns"/>);
    /// false: replace any existing file.</param>
    /// <exception cref="ArgumentException">No columns, or an empty or repeated column name.</exception>
    /// <exception cref="InvalidDataException">Appending to a file whose header differs.</exception>
    public CsvWriter(string path, IReadOnlyList<string> columns, bool append = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("A CSV file needs at least one column.", nameof(columns));
        if (columns.Any(string.IsNullOrEmpty)) throw new ArgumentException("Column names must be non-empty.", nameof(columns));
        var repeated = columns.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"Repeated column names: {string.Join(", ", repeated)}.", nameof(columns));
        _columns = [.. columns];
        Path = path;
        string header = FormatLine(_columns.Cast<object?>().ToArray());
        bool writeHeader = !append || !File.Exists(path) || new FileInfo(path).Length == 0;
        if (!writeHeader) DropPartialLastLine(path, header);
        var stream = new FileStream(path, writeHeader ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        if (writeHeader) WriteLine(header);
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes after the last row written (every row is flushed).</summary>
    public long Length => _writer.BaseStream.Length;

    /// <summary>Flushes the rows written so far to the disk (fsync), not only to the operating system.</summary>
    public void Sync()
    {
        _writer.Flush();
        if (_writer.BaseStream is FileStream file) file.Flush(flushToDisk: true);
    }

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Appends one row and flushes it to the operating system.</summary>
    /// <param name="values">One value per column: numbers, strings, booleans, null, or any <see cref="IFormattable"/>.</param>
    /// <exception cref="ArgumentException">The number of values differs from the number of columns.</exception>
    public void WriteRow(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _columns.Length)
            throw new ArgumentException($"The row has {values.Length} values but the file has {_columns.Length} columns ({string.Join(", ", _columns)}).", nameof(values));
        WriteLine(FormatLine(values));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>The CSV text of one value (quoted when it contains a comma, quote, or line break).</summary>
    public static string Format(object? value)
    {
        string text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";
    }

    private string FormatLine(object?[] values)
    {
        _line.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) _line.Append(',');
            _line.Append(Format(values[i]));
        }
        return _line.ToString();
    }

    private void WriteLine(string line)
    {
        _writer.Write(line);
        _writer.Write('\n');
        _writer.Flush();
    }

    private static void DropPartialLastLine(string path, string header)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            string? existing = reader.ReadLine();
            if (existing != header)
                throw new InvalidDataException($"{path}: cannot append; its header \"{existing}\" differs from \"{header}\".");
        }
        long end = stream.Length;
        Span<byte> last = stackalloc byte[1];
        while (end > 0)
        {
            stream.Position = end - 1;
            stream.ReadExactly(last);
            if (last[0] == (byte)'\n') break;
            end--;
        }
        if (end < stream.Length) stream.SetLength(end);   // a row cut by a crash: drop it
    }
}
