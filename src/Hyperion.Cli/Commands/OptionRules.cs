using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyperion.Cli.Commands;

/// <summary>Validators for option values; a violation is a parse error (exit code 2).</summary>
internal static partial class OptionRules
{
    public static Option<int?> AtLeast(this Option<int?> option, int minimum)
    {
        option.Validators.Add(result => CheckMinimum(result, option.Name, minimum));
        return option;
    }

    public static Option<long?> AtLeast(this Option<long?> option, long minimum)
    {
        option.Validators.Add(result => CheckMinimum(result, option.Name, minimum));
        return option;
    }

    // Reads the tokens rather than the converted value: a token that is not a number is already a conversion
    // error, and asking for the value would throw.
    private static void CheckMinimum(OptionResult result, string name, long minimum)
    {
        foreach (var token in result.Tokens)
        {
            if (long.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        }
    }

    /// <summary>Every value must be a size such as <c>512M</c>, <c>1G</c> or <c>10737418240</c>.</summary>
    public static Option<string[]> DiskSizes(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!IsDiskSize(token.Value))
                {
                    result.AddError($"{option.Name} '{token.Value}' is not a size such as 512M, 1G or 2T.");
                }
            }
        });
        return option;
    }

    public static bool IsDiskSize(string value) => DiskSizePattern().IsMatch(value);

    [GeneratedRegex("^[1-9][0-9]*([KMGT](i?B)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiskSizePattern();
}
