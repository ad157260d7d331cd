using System.Globalization;
using System.Text;

namespace Hyperion.Hypervisor.CloudInit;

/// <summary>
/// Writes strings as YAML double-quoted scalars. Every value that came from a user goes through <see cref="Quote"/>,
/// so no input (a quote, a colon, a newline, a <c>#</c>, a <c>{</c>) can end the scalar and add keys of its own.
/// </summary>
public static class YamlScalar
{
    /// <summary>
    /// <c>"…"</c> with <c>\\</c>, <c>\"</c> and escapes for every control or line-breaking character (YAML 1.1 and 1.2
    /// both read them; cloud-init uses PyYAML, a 1.1 parser). Other characters, non-ASCII included, stay as they are.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\0': builder.Append("\\0"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\v': builder.Append("\\v"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                case '\u001b': builder.Append("\\e"); break;
                case '\u0085': builder.Append("\\N"); break;
                case '\u2028': builder.Append("\\L"); break;
                case '\u2029': builder.Append("\\P"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // A lone surrogate has no UTF-8 form; write the replacement character as the encoder would.
                        builder.Append("\\ufffd");
                    }
                    else if (char.IsControl(c) || c is '\ufeff' or '\ufffe' or '\uffff')
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }
}
