using System.CommandLine;
using System.Text;
using Hyperion.Cli.Api;
using Hyperion.Cli.Tests.Fakes;
using Hyperion.Contracts;
using Hyperion.Contracts.Datastores;

namespace Hyperion.Cli.Tests;

public sealed class CliApplicationTests
{
    [Theory]
    [InlineData("vm", "frobnicate", "web01")]
    [InlineData("vm")]
    [InlineData()]
    [InlineData("vm", "info")]
    [InlineData("vm", "list", "--no-such-option")]
    [InlineData("--fingerprint", "zz", "vm", "list")]
    [InlineData("--server", "ftp://example", "vm", "list")]
    [InlineData("vm", "shutdown", "web01", "--timeout", "-1")]
    public async Task RunAsync_ParseError_ExitsTwoWithErrorOnStderr(params string[] args)
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task RunAsync_Help_DescribesVerbsAndExitsZero()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("vm", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("create", run.Out, StringComparison.Ordinal);
        Assert.Contains("Create a VM", run.Out, StringComparison.Ordinal);
        Assert.Contains("--server", (await cli.RunAsync("vm", "create", "--help")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRootCommand_EveryCommand_HasDescription()
    {
        using var output = new StringWriter();
        var root = CliApplication.CreateRootCommand(new CliConsole(output, output));

        var missing = Flatten(root).Where(c => string.IsNullOrWhiteSpace(c.Description)).Select(c => c.Name).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public async Task InvokeAsync_HostCommandExtended_RunsAddedSubcommand()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error);
        var root = CliApplication.CreateRootCommand(console);
        var host = root.Subcommands.Single(c => c.Name == CliApplication.HostCommandName);
        var serve = new Command("serve", "Run the host agent");
        serve.SetAction(_ => 42);
        host.Subcommands.Add(serve);

        var exitCode = await CliApplication.InvokeAsync(root, ["host", "serve"], console, CancellationToken.None);

        Assert.Equal(42, exitCode);
    }

    [Fact]
    public async Task RunAsync_EnvironmentVariables_UsedWhenOptionsAbsent()
    {
        var cli = new CliHarness();
        cli.Environment["HYPERION_SERVER"] = "https://esx7.example:9443";
        cli.Environment["HYPERION_USER"] = "alice";
        cli.Environment["HYPERION_PASSWORD"] = "s3cret";
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", Array.Empty<DatastoreDto>());

        var run = await cli.RunAsync("datastore", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal("https://esx7.example:9443/api/datastores", request.Uri.AbsoluteUri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")), request.Authorization);
    }

    [Fact]
    public async Task RunAsync_OptionsAndEnvironment_OptionsWin()
    {
        var cli = new CliHarness();
        cli.Environment["HYPERION_SERVER"] = "https://env.example:9443";
        cli.Environment["HYPERION_USER"] = "alice";
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", Array.Empty<DatastoreDto>());

        var run = await cli.RunAsync("datastore", "list", "--server", "https://cli.example:8443", "--user", "bob", "--password", "pw");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal("cli.example", request.Uri.Host);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pw")), request.Authorization);
    }

    [Fact]
    public async Task RunAsync_NoConfiguration_UsesDefaults()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", Array.Empty<DatastoreDto>());

        var run = await cli.RunAsync("datastore", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal("https://127.0.0.1:8443/api/datastores", request.Uri.AbsoluteUri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("root:")), request.Authorization);
    }

    [Fact]
    public async Task RunAsync_MalformedFingerprintInEnvironment_ExitsTwo()
    {
        var cli = new CliHarness();
        cli.Environment["HYPERION_FINGERPRINT"] = "not-a-fingerprint";

        var run = await cli.RunAsync("vm", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("HYPERION_FINGERPRINT", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task RunAsync_Unauthorized_ExitsOne()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Get, "/api/vms", () => new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized));

        var run = await cli.RunAsync("vm", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: HTTP 401", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_ExitsThree()
    {
        var cli = new CliHarness { UseFakeHttp = false };

        var run = await cli.RunAsync("vm", "list", "--server", "https://127.0.0.1:1");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("error: cannot connect to 127.0.0.1:1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UntrustedCertificate_ShowsFingerprintAndExitsThree()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        await using var server = new TlsTestServer(certificate, "[]");
        var cli = new CliHarness { UseFakeHttp = false };

        var run = await cli.RunAsync("datastore", "list", "--server", server.Url.AbsoluteUri);

        Assert.True(run.ExitCode == 3, run.ToString());
        var shown = ServerCertificateValidator.FormatFingerprint(ServerCertificateValidator.ComputeFingerprint(certificate));
        Assert.Contains("--fingerprint " + shown, run.Error, StringComparison.Ordinal);
        Assert.Contains("--insecure", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PinnedFingerprint_TrustsSelfSignedServer()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        await using var server = new TlsTestServer(certificate, "[]");
        var cli = new CliHarness { UseFakeHttp = false };
        cli.Environment["HYPERION_FINGERPRINT"] = ServerCertificateValidator.ComputeFingerprint(certificate).ToLowerInvariant();

        var run = await cli.RunAsync("datastore", "list", "--json", "--server", server.Url.AbsoluteUri);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(System.Text.Json.JsonSerializer.Deserialize<DatastoreDto[]>(run.Out, JsonDefaults.Options)!);
    }

    [Fact]
    public async Task RunAsync_Insecure_TrustsSelfSignedServer()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        await using var server = new TlsTestServer(certificate, "[]");
        var cli = new CliHarness { UseFakeHttp = false };

        var run = await cli.RunAsync("datastore", "list", "--insecure", "--server", server.Url.AbsoluteUri);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No datastores.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongPinnedFingerprint_ExitsThree()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        await using var server = new TlsTestServer(certificate, "[]");
        var cli = new CliHarness { UseFakeHttp = false };

        var run = await cli.RunAsync("datastore", "list", "--server", server.Url.AbsoluteUri, "--fingerprint", new string('a', 64));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("does not match", run.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<Command> Flatten(Command command) =>
        command.Subcommands.SelectMany(Flatten).Prepend(command);
}
