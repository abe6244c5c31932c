using System.Globalization;
using System.Text;

namespace Disentangle.Io;

/// <summary>The header of a .npy file: element type, whether its byte order differs from the host's, and shape (the Python dict literal, parsed).</summary>
/// <remarks>Grammar accepted: <c>{ 'key': value, … }</c> with keys <c>descr</c> (a string), <c>fortran_order</c>
/// (<c>True</c>/<c>False</c>) and <c>shape</c> (a tuple of non-negative integers), in any order, trailing commas allowed.</remarks>
internal sealed record NpyHeader(DataType DataType, bool NeedsByteSwap, bool FortranOrder, int[] Shape)
{
    /// <summary>Parses the header text; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="InvalidDataException">Malformed header, missing key, or unsupported dtype.</exception>
    public static NpyHeader Parse(string text, string source)
    {
        var parser = new Parser(text, source);
        var dict = parser.ParseDict();
        string descr = dict.TryGetValue("descr", out var d) && d is string s ? s : throw parser.Error("no string 'descr' entry");
        bool fortran = dict.TryGetValue("fortran_order", out var f) && f is bool b ? b : throw parser.Error("no boolean 'fortran_order' entry");
        int[] shape = dict.TryGetValue("shape", out var sh) && sh is int[] dims ? dims : throw parser.Error("no tuple 'shape' entry");
        var (type, swap) = ParseDescr(descr, source);
        return new NpyHeader(type, swap, fortran, shape);
    }

    /// <summary>The dtype string numpy writes for <paramref name="type"/> (little-endian).</summary>
    public static string Descr(DataType type) => type switch
    {
        DataType.Float32 => "<f4",
        DataType.Float64 => "<f8",
        DataType.Int64 => "<i8",
        DataType.Int32 => "<i4",
        DataType.UInt8 => "|u1",
        DataType.Bool => "|b1",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    /// <summary>The header dict text numpy writes (without padding).</summary>
    public static string Format(DataType type, ReadOnlySpan<int> shape)
    {
        string dims = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.ToArray())})";
        return $"{{'descr': '{Descr(type)}', 'fortran_order': False, 'shape': {dims}, }}";
    }

    private static (DataType, bool) ParseDescr(string descr, string source)
    {
        if (descr.Length != 3 || "<>=|".IndexOf(descr[0]) < 0)
            throw new InvalidDataException($"{source}: unsupported .npy dtype '{descr}' (supported: <f4, <f8, <i8, <i4, |u1, |b1; structured and string dtypes are not).");
        DataType? type = descr[1..] switch
        {
            "f4" => DataType.Float32,
            "f8" => DataType.Float64,
            "i8" => DataType.Int64,
            "i4" => DataType.Int32,
            "u1" => DataType.UInt8,
            "b1" => DataType.Bool,
            _ => null,
        };
        if (type is null)
            throw new InvalidDataException($"{source}: unsupported .npy dtype '{descr}' (supported: <f4, <f8, <i8, <i4, |u1, |b1).");
        bool fileIsLittle = descr[0] == '<', fileIsBig = descr[0] == '>';   // '=' native, '|' not applicable
        return (type.Value, type.Value.Size() > 1 && (BitConverter.IsLittleEndian ? fileIsBig : fileIsLittle));
    }

    private sealed class Parser(string text, string source)
    {
        private int _pos;

        public InvalidDataException Error(string problem) =>
            new($"{source}: malformed .npy header ({problem}) in \"{text.TrimEnd()}\".");

        public Dictionary<string, object> ParseDict()
        {
            var dict = new Dictionary<string, object>();
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; break; }
                string key = ParseString();
                Expect(':');
                if (!dict.TryAdd(key, ParseValue())) throw Error($"duplicate key '{key}'");
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect('}');
                break;
            }
            SkipSpace();
            if (_pos != text.Length) throw Error("text after the closing brace");
            return dict;
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"') return ParseString();
            if (c == '(') return ParseTuple();
            if (Match("True")) return true;
            if (Match("False")) return false;
            throw Error($"unexpected value at offset {_pos}");
        }

        private int[] ParseTuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') { _pos++; return [.. dims]; }
                int start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                if (_pos == start) throw Error($"expected a dimension at offset {start}");
                if (!int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw Error($"dimension {text[start.._pos]} is too large");
                dims.Add(d);
                if (Peek() == 'L') _pos++;   // Python 2 long literal
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect(')');
                return [.. dims];
            }
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Error($"expected a quoted string at offset {_pos}");
            int end = text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Error("unterminated string");
            string value = text[(_pos + 1)..end];
            _pos = end + 1;
            return value;
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error($"expected '{c}' at offset {_pos}");
            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }
    }
}
