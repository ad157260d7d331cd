using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Tests.Processes;

public sealed class SystemProcessRunnerTests
{
    private readonly SystemProcessRunner _runner = new();

    private static ProcessSpec Shell(string script, TimeSpan? timeout = null) => new("/bin/sh", ["-c", script]) { Timeout = timeout };

    [Fact]
    public async Task RunAsync_ShellScript_CapturesStdoutStderrAndExitCode()
    {
        var result = await _runner.RunAsync(Shell("echo out; echo err >&2; exit 3"), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.TimedOut);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_ExitZero_Succeeded()
    {
        var result = await _runner.RunAsync(Shell("true"), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_ArgumentsWithSpacesAndQuotes_PassedVerbatimWithoutShell()
    {
        var result = await _runner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "printf '%s|' \"$@\"", "sh", "a b", "'q'", "$HOME", ";"]), CancellationToken.None);

        Assert.Equal("a b|'q'|$HOME|;|", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_StdinClosed_ReadingStdinSeesEof()
    {
        var result = await _runner.RunAsync(Shell("cat; echo done", TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.False(result.TimedOut);
        Assert.Equal("done\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_EnvironmentAndWorkingDirectory_Applied()
    {
        var spec = Shell("echo \"$HY_TEST_VALUE\"; pwd") with
        {
            Environment = new Dictionary<string, string> { ["HY_TEST_VALUE"] = "hello world" },
            WorkingDirectory = "/tmp",
        };

        var result = await _runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal("hello world\n/tmp\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_LongerThanTimeout_KilledAndTimedOut()
    {
        var result = await _runner.RunAsync(Shell("echo started; sleep 30", TimeSpan.FromMilliseconds(300)), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Equal("started\n", result.StandardOutput);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_CallerCancels_KillsAndThrows()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Shell("sleep 30"), cts.Token));
    }

    [Fact]
    public async Task RunAsync_MissingBinary_Exit127WithMessage()
    {
        var result = await _runner.RunAsync(new ProcessSpec("/nonexistent/tool", ["--version"]), CancellationToken.None);

        Assert.Equal(127, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.StartsWith("cannot run /nonexistent/tool: ", result.StandardError, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }
}
