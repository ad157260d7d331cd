using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// "Ours": a real Center (<c>hyperion center serve</c>, SQLite) and two real host agents (<c>hyperion host serve
/// --accel tcg</c>), all out of process, both agents mounting one directory as datastore <see cref="Datastore"/>, both
/// hosts in one cluster. Started once for the whole run; dispose kills every process (and the agents' QEMUs) by PID and
/// removes the directories.
/// </summary>
internal sealed class HyperionEstate : IAsyncDisposable
{
    public const string Datastore = "shared";

    private readonly TestDirectory _shared;
    private readonly List<IAsyncDisposable> _processes = [];

    private HyperionEstate(TestDirectory shared)
    {
        _shared = shared;
    }

    public HostApi Admin { get; private set; } = null!;

    /// <summary>Where the VMs are created and powered on.</summary>
    public HostDto Source { get; private set; } = null!;

    /// <summary>Where they migrate to.</summary>
    public HostDto Destination { get; private set; } = null!;

    public string Pids { get; private set; } = string.Empty;

    public static async Task<HyperionEstate> StartAsync(CancellationToken cancellationToken)
    {
        var estate = new HyperionEstate(new TestDirectory("hyshared"));
        try
        {
            await estate.StartProcessesAsync(cancellationToken);
        }
        catch
        {
            await estate.DisposeAsync();
            throw;
        }

        return estate;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        _shared.Dispose();
    }

    private async Task StartProcessesAsync(CancellationToken cancellationToken)
    {
        string[] agentArgs = ["--datastore", $"{Datastore}={_shared.Path}"];

        // One after the other: two cold .NET starts at once on two cores only slow each other down.
        var first = await HostAgentProcess.StartAsync("tcg", agentArgs);
        _processes.Add(first);
        cancellationToken.ThrowIfCancellationRequested();
        var second = await HostAgentProcess.StartAsync("tcg", agentArgs);
        _processes.Add(second);
        cancellationToken.ThrowIfCancellationRequested();
        var center = await CenterProcess.StartAsync();
        _processes.Add(center);
        Pids = $"Center pid {center.Pid}, host agents pid {first.Pid} and {second.Pid}";

        Admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await Admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("bench"))).As<DatacenterDto>(HttpStatusCode.Created);
        var cluster = (await Admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest("migration", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);
        Source = await AddHostAsync(first, cluster, datacenter);
        Destination = await AddHostAsync(second, cluster, datacenter);
    }

    private async Task<HostDto> AddHostAsync(HostAgentProcess agent, ClusterDto cluster, DatacenterDto datacenter) =>
        await Admin.SucceedsAsync<HostDto>(await Admin.SendAsync(HttpMethod.Post, "/api/hosts",
            new HostAddRequest(agent.BaseAddress.GetLeftPart(UriPartial.Authority), "root", HostAgentProcess.Password, agent.Fingerprint, cluster.Id, datacenter.Id)));
}
