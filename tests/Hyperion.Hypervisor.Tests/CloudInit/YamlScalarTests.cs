using System.Text;
using Hyperion.Hypervisor.CloudInit;

namespace Hyperion.Hypervisor.Tests.CloudInit;

public sealed class YamlScalarTests
{
    [Theory]
    [InlineData("web1", "\"web1\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    [InlineData("cr\r\ntab\t", "\"cr\\r\\ntab\\t\"")]
    [InlineData("nul\0bell\a", "\"nul\\0bell\\a\"")]
    [InlineData("del\u007f", "\"del\\u007f\"")]
    [InlineData("nel\u0085ls\u2028ps\u2029", "\"nel\\Nls\\Lps\\P\"")]
    [InlineData("key: value # comment {x: [1]} & *a !tag", "\"key: value # comment {x: [1]} & *a !tag\"")]
    [InlineData("grüße 日本", "\"grüße 日本\"")]
    public void Quote_Value_DoubleQuotedWithEscapes(string value, string expected)
    {
        Assert.Equal(expected, YamlScalar.Quote(value));
    }

    [Fact]
    public void Quote_SurrogatePairKept_LoneSurrogateReplaced()
    {
        Assert.Equal("\"a😀b\"", YamlScalar.Quote("a😀b"));
        Assert.Equal("\"a\\ufffdb\"", YamlScalar.Quote("a\ud800b"));
    }

    [Fact]
    public void Quote_EveryCharacter_OneLineRoundTripsThroughADoubleQuotedReader()
    {
        var all = new StringBuilder();
        for (var c = 0; c < 0x3000; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                all.Append((char)c);
            }
        }

        var value = all.ToString();
        var quoted = YamlScalar.Quote(value);

        Assert.DoesNotContain('\n', quoted);
        Assert.DoesNotContain('\r', quoted);
        Assert.Equal(value, ReadDoubleQuoted(quoted));
    }

    // An independent reader of YAML double-quoted scalars (the subset of escapes YAML 1.1 defines), to check round trips.
    private static string ReadDoubleQuoted(string text)
    {
        Assert.StartsWith("\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\"", text, StringComparison.Ordinal);
        var value = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            Assert.NotEqual('"', c);
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            var e = text[++i];
            switch (e)
            {
                case 'u':
                    value.Append((char)Convert.ToInt32(text.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default:
                    value.Append(e switch
                    {
                        '0' => '\0', 'a' => '\a', 'b' => '\b', 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f', 'r' => '\r',
                        'e' => '\u001b', 'N' => '\u0085', '_' => '\u00a0', 'L' => '\u2028', 'P' => '\u2029', '"' => '"', '\\' => '\\', '/' => '/', ' ' => ' ',
                        _ => throw new InvalidDataException($"unknown escape \\{e}"),
                    });
                    break;
            }
        }

        return value.ToString();
    }
}
