using System.Globalization;
using System.Text;

namespace Disentangle.Io;

/// <summary>A CSV file read into memory: a header and rows of text fields (RFC 4180 quoting).</summary>
/// <param name="Columns">The header's column names.</param>
/// <param name="Rows">The data rows, each with one field per column.</param>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows)
{
    /// <summary>Reads <paramref name="path"/> (as written by <see cref="CsvWriter"/> or any RFC 4180 writer).</summary>
    /// <exception cref="InvalidDataException">Empty file, an unterminated quote, or a row whose field count differs from
    /// the header's; the message names the file and the line.</exception>
    public static CsvTable Read(string path)
    {
        string text = File.ReadAllText(path);
        var records = Parse(text, path);
        if (records.Count == 0) throw new InvalidDataException($"{path}: the CSV file is empty (no header).");
        var header = records[0].Fields;
        for (int i = 1; i < records.Count; i++)
            if (records[i].Fields.Length != header.Length)
                throw new InvalidDataException($"{path}: line {records[i].Line} has {records[i].Fields.Length} fields but the header has {header.Length}.");
        return new CsvTable(header, records.Skip(1).Select(r => r.Fields).ToList());
    }

    /// <summary>The index of column <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == name) return i;
        throw new ArgumentException($"No column '{name}' (columns: {string.Join(", ", Columns)}).", nameof(name));
    }

    /// <summary>The values of column <paramref name="name"/> parsed as doubles (empty fields give NaN).</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    /// <exception cref="FormatException">A field is not a number.</exception>
    public double[] Numbers(string name)
    {
        int j = IndexOf(name);
        return [.. Rows.Select((r, i) => r[j].Length == 0 ? double.NaN
            : double.TryParse(r[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new FormatException($"Row {i + 1}, column '{name}': \"{r[j]}\" is not a number."))];
    }

    private static List<(string[] Fields, int Line)> Parse(string text, string source)
    {
        var records = new List<(string[], int)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool any = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0)
            {
                int start = line;
                for (i++; ; i++)
                {
                    if (i >= text.Length) throw new InvalidDataException($"{source}: unterminated quoted field starting on line {start}.");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                        else { i++; break; }
                    }
                    else
                    {
                        if (text[i] == '\n') line++;
                        field.Append(text[i]);
                    }
                }
                any = true;
                continue;
            }
            if (c == ',') { fields.Add(field.ToString()); field.Clear(); any = true; }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add(([.. fields], recordLine)); }
                fields.Clear(); field.Clear(); any = false;
                recordLine = ++line;
            }
            else { field.Append(c); any = true; }
            i++;
        }
        if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add(([.. fields], recordLine)); }
        return records;
    }
}
