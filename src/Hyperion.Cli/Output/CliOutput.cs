using System.Text.Json;
using Hyperion.Contracts;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Writes a verb's results to the <see cref="CliConsole"/>: JSON, Spectre.Console renderables or plain lines.</summary>
internal sealed class CliOutput
{
    // Wide enough that tables never wrap when piped; a terminal reports its own width.
    private const int NonTerminalWidth = 200;

    private readonly CliConsole _console;
    private IAnsiConsole? _ansi;

    public CliOutput(CliConsole console) => _console = console;

    public TextWriter Out => _console.Out;

    /// <summary>An ANSI console over <see cref="CliConsole.Out"/>; plain text without colours when it is not a terminal.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsiConsole();

    public void WriteJson<T>(T value) => _console.Out.WriteLine(JsonSerializer.Serialize(value, JsonDefaults.Indented));

    /// <summary>One compact JSON document per line, for streams.</summary>
    public void WriteJsonLine<T>(T value) => _console.Out.WriteLine(JsonSerializer.Serialize(value, JsonDefaults.Options));

    public void WriteLine(string text) => _console.Out.WriteLine(text);

    private IAnsiConsole CreateAnsiConsole()
    {
        var terminal = _console.IsTerminal;
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_console.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            ansi.Profile.Width = NonTerminalWidth;
        }

        return ansi;
    }
}
