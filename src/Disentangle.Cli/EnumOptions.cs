using System.CommandLine;
using System.Text.Json;
using Disentangle.Io;

namespace Disentangle.Cli;

/// <summary>Enum-valued options spelled as every file spells them.</summary>
public static class EnumOptions
{
    /// <summary>Makes an enum option read and show its values as every file spells them (kebab case:
    /// <c>--dci released-code</c>), with one error naming the flag and the valid values; other options are left alone.</summary>
    public static void SpellAsFiles<TValue>(Option<TValue> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var enumType = Nullable.GetUnderlyingType(typeof(TValue)) ?? typeof(TValue);
        if (!enumType.IsEnum) return;
        var names = Enum.GetValues(enumType).Cast<Enum>().Select(JsonFiles.Name).ToArray();
        option.HelpName = string.Join("|", names);
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            try { return JsonSerializer.Deserialize<TValue>(JsonSerializer.Serialize(token), JsonFiles.Options)!; }
            catch (JsonException)
            {
                result.AddError($"'{token}' is not a valid value for {option.Name}. Valid values: {string.Join(", ", names)}.");
                return default!;
            }
        };
    }
}
