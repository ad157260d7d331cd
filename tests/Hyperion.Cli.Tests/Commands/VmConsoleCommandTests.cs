using System.Net;
using System.Text;
using Hyperion.Cli.Api;
using Hyperion.Contracts;

namespace Hyperion.Cli.Tests.Commands;

public sealed class VmConsoleCommandTests
{
    [Fact]
    public async Task Console_Serial_PrintsLogOnce()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=0", () => Serial("Linux version 6.6\nlogin: ", 24));

        var run = await cli.RunAsync("vm", "console", "web01", "--serial");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Linux version 6.6\nlogin: ", run.Out);
        Assert.Single(cli.Http.Requests);
    }

    [Fact]
    public async Task Console_Follow_PollsFromReturnedOffsetsUntilVmIsGone()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=0", () => Serial("hello ", 6));
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=6", () => Serial(string.Empty, 6));
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=6", () => Serial("world", 11));
        cli.Http.OnProblem(HttpMethod.Get, "/api/vms/web01/console/serial?offset=11", HttpStatusCode.NotFound, new ProblemDto { Detail = "gone", Code = "vm.not-found" });

        var run = await cli.RunAsync("vm", "console", "web01", "--serial", "--follow");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello world", run.Out);
        Assert.Equal(
            ["offset=0", "offset=6", "offset=6", "offset=11"],
            cli.Http.Requests.Select(r => r.Uri.Query.TrimStart('?')));
    }

    [Fact]
    public async Task Console_FollowCancelled_ExitsZero()
    {
        var cli = new CliHarness();
        using var cts = new CancellationTokenSource();
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=0", () => Serial("boot", 4));
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=4", () => Serial(string.Empty, 4));
        // Ctrl-C once the follow has polled again (not on a timer: a loaded machine may not have got that far).
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=4", () =>
        {
            cts.Cancel();
            return Serial(string.Empty, 4);
        });

        var run = await cli.RunAsync(["vm", "console", "web01", "--serial", "--follow"], cts.Token);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("boot", run.Out);
        Assert.True(cli.Http.Requests.Count >= 2, $"expected polling, saw {cli.Http.Requests.Count} request(s)");
    }

    [Fact]
    public async Task Console_MultiByteCharacterSplitAcrossChunks_DecodesWhole()
    {
        var cli = new CliHarness();
        var bytes = Encoding.UTF8.GetBytes("é");
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=0", () => SerialBytes(bytes[..1], 1));
        cli.Http.On(HttpMethod.Get, "/api/vms/web01/console/serial?offset=1", () => SerialBytes(bytes[1..], 2));
        cli.Http.OnProblem(HttpMethod.Get, "/api/vms/web01/console/serial?offset=2", HttpStatusCode.NotFound, new ProblemDto { Detail = "gone" });

        var run = await cli.RunAsync("vm", "console", "web01", "--serial", "--follow");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("é", run.Out);
    }

    [Fact]
    public async Task Console_FollowUnknownVm_ExitsOne()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("vm", "console", "ghost", "--serial", "--follow");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_WithoutSerial_ExplainsAndExitsTwo()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("vm", "console", "web01");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("only the serial console", run.Error, StringComparison.Ordinal);
        Assert.Contains("web client", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    private static HttpResponseMessage Serial(string text, long next) => SerialBytes(Encoding.UTF8.GetBytes(text), next);

    private static HttpResponseMessage SerialBytes(byte[] data, long next)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(data) };
        response.Headers.Add(HyperionApiClient.NextOffsetHeader, next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }
}
