using Hyperion.Cli.Tests.Fakes;

namespace Hyperion.Cli.Tests;

/// <summary>Runs the CLI in-process against a <see cref="FakeHttpHandler"/> and captured output.</summary>
public sealed class CliHarness
{
    public FakeHttpHandler Http { get; } = new();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>When false the real HTTPS handler is used (for connection and TLS tests).</summary>
    public bool UseFakeHttp { get; init; } = true;

    public async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliRun> RunAsync(string[] args, CancellationToken ct)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error)
        {
            HttpMessageHandlerFactory = UseFakeHttp ? () => Http : null,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
        };
        var exitCode = await CliApplication.RunAsync(args, console, ct);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
