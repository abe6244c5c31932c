using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disentangle.Experiments;
using Disentangle.Io;

namespace Disentangle.Cli;

/// <summary>Binds a command's flags to an options record: defaults ← <c>--config file.json</c> ← explicit flags.</summary>
/// <remarks>Each flag maps to the record property of the same name (<c>--train-sizes</c> ↔ <c>trainSizes</c>), so the
/// JSON keys of a config file and the flags are one vocabulary, and only flags the user typed override the file.</remarks>
public sealed class ConfigBinder<T> where T : class
{
    private readonly T _defaults;
    private readonly JsonObject _defaultJson;
    private readonly List<(Option Option, string Key, bool Negates)> _flags = [];

    /// <summary>Creates a binder starting from <paramref name="defaults"/> and adds the <c>--config</c> option to <paramref name="command"/>.</summary>
    public ConfigBinder(Command command, T defaults)
    {
        _defaults = defaults;
        _defaultJson = ConfigFile.ToJson(defaults);
        Config = new Option<FileInfo?>("--config") { Description = "JSON file of options; flags given on the command line override it" };
        Command = command;
        command.Options.Add(Config);
    }

    /// <summary>The command the flags are added to.</summary>
    public Command Command { get; }

    /// <summary>The <c>--config</c> option.</summary>
    public Option<FileInfo?> Config { get; }

    /// <summary>Adds a flag for the record property named like the flag; its help shows the default.</summary>
    public Option<TValue> Add<TValue>(string name, string description, params string[] aliases)
    {
        string key = KeyOf(name);
        if (!_defaultJson.ContainsKey(key))
            throw new InvalidOperationException($"{typeof(T).Name} has no property '{key}' for flag {name}.");
        var defaultValue = _defaultJson[key];
        string shown = defaultValue is null ? "none" : defaultValue.GetValueKind() == JsonValueKind.String ? defaultValue.GetValue<string>() : defaultValue.ToJsonString();
        var option = new Option<TValue>(name, aliases)
        {
            Description = $"{description} (default: {shown})",
            AllowMultipleArgumentsPerToken = typeof(TValue).IsArray,
            HelpName = Placeholder(typeof(TValue)),
        };
        EnumOptions.SpellAsFiles(option);
        Command.Options.Add(option);
        _flags.Add((option, key, false));
        if (typeof(TValue) == typeof(bool) && defaultValue?.GetValueKind() == JsonValueKind.True)
        {
            var negation = new Option<bool>("--no-" + name.TrimStart('-')) { Description = $"turn {name} off" };
            Command.Options.Add(negation);
            _flags.Add((negation, key, true));
        }
        return option;
    }

    /// <summary>The typed placeholder of a flag's value in the help (<c>--steps &lt;int&gt;</c>).</summary>
    private static string? Placeholder(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return null;
        if (type == typeof(int) || type == typeof(long)) return "int";
        if (type == typeof(double) || type == typeof(float)) return "float";
        if (type == typeof(int[]) || type == typeof(long[])) return "int…";
        if (type == typeof(double[])) return "float…";
        if (type == typeof(string[])) return "text…";
        return type == typeof(string) ? "text" : null;
    }

    /// <summary>The effective options of a parse.</summary>
    /// <exception cref="InvalidDataException">The config file is malformed or a value is of the wrong type.</exception>
    public T Bind(ParseResult result)
    {
        var file = result.GetValue(Config);
        var start = file is null ? _defaults : ConfigFile.Load(file.FullName, _defaults);
        var overrides = new JsonObject();
        foreach (var (option, key, negates) in _flags)
        {
            var given = result.GetResult(option);
            if (given is null || given.Implicit) continue;
            var value = given.GetValueOrDefault<object?>();
            overrides[key] = negates ? JsonValue.Create(!(bool)value!) : JsonSerializer.SerializeToNode(value, JsonFiles.Options);
        }
        return ConfigFile.Merge(start, overrides, "command-line flags");
    }

    private static string KeyOf(string flag)
    {
        var parts = flag.TrimStart('-').Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
