using System.Text.Json;
using Hyperion.Cli;
using Hyperion.Contracts;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The CLI contract against a real agent: the verbs, --json, exit codes and certificate pinning.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CliEndToEndTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task Verbs_TinyVmLifecycle_WorkAgainstRealAgent()
    {
        var info = await RunAsync("host", "info", "--json");
        Assert.Equal(0, info.ExitCode);
        var host = JsonSerializer.Deserialize<HostInfoDto>(info.Out, JsonDefaults.Options)!;
        Assert.Equal("tcg", host.Acceleration.Mode);
        Assert.Contains(host.Datastores, d => d.Name == "local");

        var create = await RunAsync("vm", "create", "cli-vm", "--cpus", "1", "--memory", "128", "--image", "tiny", "--disk", "32M", "--kernel-args", "hyperion.write=from-cli", "--power-on", "--json");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal("poweredOn", JsonSerializer.Deserialize<VmDto>(create.Out, JsonDefaults.Options)!.PowerState);

        var list = await RunAsync("vm", "list");
        Assert.Contains("cli-vm", list.Out, StringComparison.Ordinal);
        Assert.Contains("poweredOn", list.Out, StringComparison.Ordinal);

        var console = await Eventually.GetAsync(() => RunAsync("vm", "console", "cli-vm", "--serial"), r => TinyGuestLog.LastTick(r.Out) >= 3, TimeSpan.FromSeconds(90), "ticks through vm console");
        Assert.Contains("disk: from-cli", console.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("vm", "suspend", "cli-vm")).ExitCode);
        Assert.Equal("suspended", JsonSerializer.Deserialize<VmDto>((await RunAsync("vm", "info", "cli-vm", "--json")).Out, JsonDefaults.Options)!.PowerState);
        Assert.Equal(0, (await RunAsync("vm", "resume", "cli-vm")).ExitCode);
        Assert.Equal(0, (await RunAsync("vm", "shutdown", "cli-vm", "--timeout", "60")).ExitCode);
        Assert.Equal("poweredOff", JsonSerializer.Deserialize<VmDto>((await RunAsync("vm", "info", "cli-vm", "--json")).Out, JsonDefaults.Options)!.PowerState);

        var events = await RunAsync("events", "list", "--json");
        Assert.Contains("vm.powered-on", events.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("vm", "delete", "cli-vm")).ExitCode);
        Assert.Equal(1, (await RunAsync("vm", "info", "cli-vm")).ExitCode);
    }

    [Fact]
    public async Task Create_RefusedByHost_PrintsErrorWithCodeAndExitsOne()
    {
        var run = await RunAsync("vm", "create", "huge", "--cpus", "1", "--memory", "100000000", "--image", "tiny");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("host.no-capacity", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("vm", "create", "nope", "--cpus", "1", "--memory", "128", "--image", "no-such-image")).ExitCode);
    }

    [Fact]
    public async Task Connect_UnpinnedSelfSignedCertificate_ShowsFingerprintAndExitsThree()
    {
        var run = await RunAsync(pin: false, "host", "info");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(fixture.Agent.Fingerprint, run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await RunAsync(pin: false, "host", "info", "--insecure")).ExitCode);
    }

    [Fact]
    public async Task Connect_WrongPassword_ExitsOneWithUnauthorized()
    {
        var run = await RunAsync("vm", "list", "--password", "wrong");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("auth.unauthorized", run.Error, StringComparison.Ordinal);
    }

    private Task<CliRun> RunAsync(params string[] args) => RunAsync(pin: true, args);

    private async Task<CliRun> RunAsync(bool pin, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["HYPERION_SERVER"] = fixture.Agent.BaseAddress.ToString(),
            ["HYPERION_PASSWORD"] = HostAgentProcess.Password,
        };
        if (pin)
        {
            env["HYPERION_FINGERPRINT"] = fixture.Agent.Fingerprint;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error) { GetEnvironmentVariable = name => env.GetValueOrDefault(name) };
        var code = await CliApplication.RunAsync(args, console, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private sealed record CliRun(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
    }
}
