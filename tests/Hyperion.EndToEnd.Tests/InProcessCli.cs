using Hyperion.Cli;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The CLI, in process, connected to one server with one user.</summary>
internal sealed record InProcessCli(Uri Server, string Fingerprint, string User, string Password)
{
    public async Task<CliRun> RunAsync(params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["HYPERION_SERVER"] = Server.ToString(),
            ["HYPERION_USER"] = User,
            ["HYPERION_PASSWORD"] = Password,
            ["HYPERION_FINGERPRINT"] = Fingerprint,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error) { GetEnvironmentVariable = name => env.GetValueOrDefault(name) };
        var code = await CliApplication.RunAsync(args, console, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public async Task<CliRun> OkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, $"hyperion {string.Join(' ', args)}\n{run}");
        return run;
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}
