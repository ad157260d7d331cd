using Hyperion.Cli.Tests.Fakes;

namespace Hyperion.Cli.Tests;

/// <summary>Runs the CLI in-process against a <see cref="FakeHttpHandler"/> and captured output.</summary>
public sealed class CliHarness
{
    public FakeHttpHandler Http { get; } = new();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>When false the real HTTPS handler is used (for connection and TLS tests).</summary>
    public bool UseFakeHttp { get; init; } = true;

    /// <summary>Pretend stdout is a terminal (progress bars, colours).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Answers prompts as a person at the terminal would; null: nobody is there.</summary>
    public Func<string, bool, string?>? Prompt { get; init; }

    /// <summary>The clock task polling waits on; the real one with a 1 ms interval by default, so tests do not linger.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public TimeSpan TaskPollInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Makes <see cref="Http"/> answer the product probe as a Center.</summary>
    public CliHarness AsCenter()
    {
        Http.Product = Hyperion.Contracts.HealthDto.CenterProduct;
        return this;
    }

    public async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliRun> RunAsync(string[] args, CancellationToken ct)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error)
        {
            HttpMessageHandlerFactory = UseFakeHttp ? () => Http : null,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            IsTerminal = IsTerminal,
            Prompt = Prompt,
            TimeProvider = TimeProvider,
            TaskPollInterval = TaskPollInterval,
        };
        var exitCode = await CliApplication.RunAsync(args, console, ct);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
