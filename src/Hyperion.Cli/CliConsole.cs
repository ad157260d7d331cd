namespace Hyperion.Cli;

/// <summary>
/// Where the CLI writes and what it reads from its environment. Tests build one over <see cref="StringWriter"/>s,
/// a fake HTTP handler and a dictionary of environment variables, so nothing touches the process state.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
    }

    /// <summary>Standard output: tables, JSON, serial console text.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: <c>error: …</c> lines and usage errors.</summary>
    public TextWriter Error { get; }

    /// <summary>When set, raw serial-console bytes go here instead of being decoded as UTF-8 into <see cref="Out"/>.</summary>
    public Stream? RawOutput { get; init; }

    /// <summary>True when <see cref="Out"/> is an interactive terminal; enables colour. Default false.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Replaces the real HTTPS handler (and with it certificate checks); for tests. Default null.</summary>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; init; }

    /// <summary>Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Clock for polling delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often a verb waiting for a Center task asks for its state. Default 250 ms.</summary>
    public TimeSpan TaskPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Asks the person at the terminal a question (the flag: hide the answer, for passwords) and returns the answer;
    /// null when nobody can answer (output or input redirected, tests). Default null.
    /// </summary>
    public Func<string, bool, string?>? Prompt { get; init; }

    /// <summary>The process console: stdout, stderr and the real environment; prompts only when both ends are a terminal.</summary>
    public static CliConsole FromSystemConsole() =>
        new(Console.Out, Console.Error)
        {
            RawOutput = Console.OpenStandardOutput(),
            IsTerminal = !Console.IsOutputRedirected,
            Prompt = Console.IsInputRedirected || Console.IsOutputRedirected ? null : AskTerminal,
        };

    private static string? AskTerminal(string question, bool secret)
    {
        var prompt = new Spectre.Console.TextPrompt<string>(Spectre.Console.Markup.Escape(question)) { AllowEmpty = true, IsSecret = secret };
        return Spectre.Console.AnsiConsole.Prompt(prompt);
    }
}
