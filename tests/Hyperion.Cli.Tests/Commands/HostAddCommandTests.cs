using System.Net;
using System.Text.Json;
using Hyperion.Cli.Commands;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Tests.Commands;

/// <summary><c>host add</c>: placement defaults, the ssh-style fingerprint confirmation, tasks.</summary>
public sealed class HostAddCommandTests
{
    private static readonly ProblemDto Unconfirmed = new()
    {
        Status = 409,
        Code = "host.fingerprint-unconfirmed",
        Detail = $"confirm the certificate of https://10.0.0.5:8443: its SHA-256 fingerprint is {CenterTestData.Fingerprint}; add the host again with this fingerprint if it is the host you expect",
        Errors = [new ProblemErrorDto("host.fingerprint-unconfirmed", "confirm …", "fingerprint")],
    };

    [Fact]
    public async Task Add_WithoutFingerprint_PrintsItSshStyleAndExitsOne()
    {
        var cli = Center();
        cli.Http.OnProblem(HttpMethod.Post, "/api/hosts", HttpStatusCode.Conflict, Unconfirmed);

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"error: The host's certificate SHA-256 fingerprint is {CenterTestData.Fingerprint}; re-run with --fingerprint {CenterTestData.Fingerprint} if this is the host you expect.",
            run.Error.Trim());
        var request = Body(cli.Http.Requests.Single(r => r.Method == HttpMethod.Post));
        Assert.Equal("https://10.0.0.5:8443", request.Address);
        Assert.Equal("root", request.User);
        Assert.Equal("pw", request.Password);
        Assert.Null(request.Fingerprint);
        Assert.Equal("datacenter-2", request.Datacenter);
    }

    [Fact]
    public async Task Add_WithFingerprint_SendsItAndPrintsHost()
    {
        var cli = Center();
        cli.Http.OnJson(HttpMethod.Post, "/api/hosts", CenterTestData.Host(), HttpStatusCode.Created);
        cli.Environment["HYPERION_HOST_PASSWORD"] = "from-env";

        var run = await cli.RunAsync("host", "add", "10.0.0.5:9443", "--fingerprint", CenterTestData.Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant(), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Body(cli.Http.Requests.Single(r => r.Method == HttpMethod.Post));
        Assert.Equal("https://10.0.0.5:9443", request.Address);
        Assert.Equal(CenterTestData.Fingerprint, request.Fingerprint);
        Assert.Equal("from-env", request.Password);
        Assert.Equal("host-3", JsonSerializer.Deserialize<HostDto>(run.Out, JsonDefaults.Options)!.Id);
    }

    [Fact]
    public async Task Add_GlobalFingerprintBeforeVerb_PinsCenterNotHost()
    {
        var cli = Center();
        cli.Http.OnJson(HttpMethod.Post, "/api/hosts", CenterTestData.Host(), HttpStatusCode.Created);
        var centerPin = new string('1', 64);

        var run = await cli.RunAsync("--fingerprint", centerPin, "host", "add", "10.0.0.5", "--fingerprint", CenterTestData.Fingerprint, "--host-password", "pw");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(CenterTestData.Fingerprint, Body(cli.Http.Requests.Single(r => r.Method == HttpMethod.Post)).Fingerprint);
    }

    [Fact]
    public async Task Add_InteractiveYes_RetriesWithPresentedFingerprint()
    {
        string? asked = null;
        var cli = Center(prompt: (question, _) =>
        {
            asked = question;
            return "yes";
        });
        cli.Http.OnProblem(HttpMethod.Post, "/api/hosts", HttpStatusCode.Conflict, Unconfirmed);
        cli.Http.OnJson(HttpMethod.Post, "/api/hosts", CenterTestData.Host(), HttpStatusCode.Created);

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(CenterTestData.Fingerprint, asked, StringComparison.Ordinal);
        var posts = cli.Http.Requests.Where(r => r.Method == HttpMethod.Post).Select(Body).ToList();
        Assert.Equal([null, CenterTestData.Fingerprint], posts.Select(p => p.Fingerprint));
        Assert.Contains("host-3", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_InteractiveNo_AddsNothing()
    {
        var cli = Center(prompt: (_, _) => "no");
        cli.Http.OnProblem(HttpMethod.Post, "/api/hosts", HttpStatusCode.Conflict, Unconfirmed);

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(cli.Http.Requests, r => r.Method == HttpMethod.Post);
        Assert.Contains("Host not added.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WrongFingerprint_WarnsAndDoesNotPrompt()
    {
        var prompted = false;
        var cli = Center(prompt: (_, _) =>
        {
            prompted = true;
            return "yes";
        });
        cli.Http.OnProblem(HttpMethod.Post, "/api/hosts", HttpStatusCode.Conflict, Unconfirmed);

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw", "--fingerprint", new string('0', 64));

        Assert.Equal(1, run.ExitCode);
        Assert.False(prompted);
        Assert.Contains("does not match --fingerprint", run.Error, StringComparison.Ordinal);
        Assert.Contains(CenterTestData.Fingerprint, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_Accepted_WaitsForTaskAndPrintsResultingHost()
    {
        var cli = Center();
        cli.Http.OnJson(HttpMethod.Post, "/api/hosts", CenterTestData.Task(description: "HostSystem.add", target: "10.0.0.5"), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Host(), description: "HostSystem.add", target: "10.0.0.5"));

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw", "--fingerprint", CenterTestData.Fingerprint);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Address:", run.Out, StringComparison.Ordinal);
        Assert.Contains("https://10.0.0.5:8443", run.Out, StringComparison.Ordinal);
        Assert.Contains("HostSystem.add 10.0.0.5: success 100%", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_Cluster_TakesItsDatacenter()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/clusters", CenterTestData.Page([CenterTestData.Cluster(datacenterId: "datacenter-9")]));
        cli.Http.OnJson(HttpMethod.Post, "/api/hosts", CenterTestData.Host(), HttpStatusCode.Created);

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--cluster", "prod", "--host-password", "pw", "--fingerprint", CenterTestData.Fingerprint);

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Body(cli.Http.Requests.Single(r => r.Method == HttpMethod.Post));
        Assert.Equal("prod", request.Cluster);
        Assert.Equal("datacenter-9", request.Datacenter);
    }

    [Fact]
    public async Task Add_SeveralDatacentersNoneGiven_UsageError()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/datacenters", CenterTestData.Page([CenterTestData.Datacenter("DC1"), CenterTestData.Datacenter("DC2", "datacenter-3")]));

        var run = await cli.RunAsync("host", "add", "10.0.0.5", "--host-password", "pw");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --datacenter", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Http.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task Add_NoPassword_UsageError()
    {
        var cli = Center();

        var run = await cli.RunAsync("host", "add", "10.0.0.5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("HYPERION_HOST_PASSWORD", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esx1", "https://esx1:8443")]
    [InlineData("esx1:9443", "https://esx1:9443")]
    [InlineData("10.0.0.5:443", "https://10.0.0.5:443")]
    [InlineData("https://esx1:7443", "https://esx1:7443")]
    public void NormalizeAddress_BareOrUrl_HttpsWithPort(string given, string expected) =>
        Assert.Equal(expected, HostAddCommand.NormalizeAddress(given));

    private static CliHarness Center(Func<string, bool, string?>? prompt = null)
    {
        var cli = new CliHarness { Prompt = prompt }.AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/datacenters", CenterTestData.Page([CenterTestData.Datacenter()]));
        return cli;
    }

    private static HostAddRequest Body(Fakes.RecordedRequest request) =>
        JsonSerializer.Deserialize<HostAddRequest>(request.Body!, JsonDefaults.Options)!;
}
