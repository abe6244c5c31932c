using System.Globalization;

namespace Disentangle.Data;

/// <summary>A typed registry from reference names (<c>prefix</c> or <c>prefix_NUMBER</c>) to factories; unknown names get
/// an error that lists every valid form. Replaces string switches that pick a class.</summary>
internal sealed class NamedChoices<T>
{
    /// <summary>One valid name form.</summary>
    /// <param name="Prefix">The name, or the part before <c>_NUMBER</c>.</param>
    /// <param name="Usage">How the name is written, e.g. <c>gauss_ρ (ρ in [0, 1))</c>.</param>
    /// <param name="Parameter">Whether a numeric suffix is absent, optional or required.</param>
    /// <param name="Create">Builds the choice from the suffix (null when absent).</param>
    public sealed record Choice(string Prefix, string Usage, Suffix Parameter, Func<double?, T> Create);

    public enum Suffix { None, Optional, Required }

    private readonly string _kind;
    private readonly Choice[] _choices;

    public NamedChoices(string kind, params Choice[] choices)
    {
        _kind = kind;
        _choices = [.. choices.OrderByDescending(c => c.Prefix.Length)];   // longest prefix first: harder_gauss before gauss
        Usage = string.Join(", ", choices.Select(c => c.Usage));
    }

    /// <summary>Every valid form, comma-separated.</summary>
    public string Usage { get; }

    public T Parse(string name, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Empty {_kind} name. Valid: {Usage}.", parameterName);
        string key = name.Trim().ToLowerInvariant();
        foreach (var choice in _choices)
        {
            if (key == choice.Prefix && choice.Parameter != Suffix.Required) return choice.Create(null);
            if (choice.Parameter == Suffix.None || !key.StartsWith(choice.Prefix + "_", StringComparison.Ordinal)) continue;
            string rest = key[(choice.Prefix.Length + 1)..];
            if (!double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new ArgumentException($"{_kind} '{name}': '{rest}' is not a number. Valid: {Usage}.", parameterName);
            return choice.Create(value);
        }
        throw new ArgumentException($"Unknown {_kind} '{name}'. Valid: {Usage}.", parameterName);
    }
}
