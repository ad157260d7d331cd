using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Datastores;
using Hyperion.Contracts.Hosts;

namespace Hyperion.Cli.Tests.Commands;

public sealed class HostCommandsTests
{
    [Fact]
    public async Task Info_Human_PrintsHostAndDatastores()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/host", TestData.Host());

        var run = await cli.RunAsync("host", "info");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("esx1", run.Out, StringComparison.Ordinal);
        Assert.Contains("kvm", run.Out, StringComparison.Ordinal);
        Assert.Contains("local", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_Json_RoundTrips()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/host", TestData.Host());

        var run = await cli.RunAsync("host", "info", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("esx1", JsonSerializer.Deserialize<HostInfoDto>(run.Out, JsonDefaults.Options)!.Name);
    }

    [Fact]
    public async Task DatastoreList_Json_PrintsArray()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", new[] { TestData.Datastore("local"), TestData.Datastore("nfs") });

        var run = await cli.RunAsync("datastore", "list", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["local", "nfs"], JsonSerializer.Deserialize<DatastoreDto[]>(run.Out, JsonDefaults.Options)!.Select(d => d.Name));
    }

    [Fact]
    public async Task DatastoreList_Human_PrintsSizes()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", new[] { TestData.Datastore() });

        var run = await cli.RunAsync("datastore", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("100 GiB", run.Out, StringComparison.Ordinal);
        Assert.Contains("40 GiB", run.Out, StringComparison.Ordinal);
    }
}
