using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// A Center and two host agents in one cluster, both mounting the same <c>shared</c> datastore (as an NFS export would be).
/// Agent B runs on loopback, or (<see cref="CutLinkMigrationLab"/>) in a network namespace behind a link that can be cut.
/// </summary>
public class MigrationLab : IAsyncLifetime, IDisposable
{
    public const string SharedDatastore = "shared";

    /// <summary>Memory host B gives its VMs (<c>--memory-mib</c>): a host smaller than the machine, so "not enough memory" can be shown.</summary>
    public const long MemoryOfB = 2048;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _shared = new("migration-shared");
    private readonly Dictionary<string, string> _uuids = [];

    public MigrationLab()
        : this(destinationBehindLink: false)
    {
    }

    protected MigrationLab(bool destinationBehindLink)
    {
        Link = destinationBehindLink ? TestHostNamespace.Create() : null;
    }

    /// <summary>Host B's link to the rest (Center, host A), when it sits in its own network namespace.</summary>
    public TestHostNamespace? Link { get; }

    public HostAgentProcess AgentA { get; private set; } = null!;
    public HostAgentProcess AgentB { get; private set; } = null!;
    public CenterProcess Center { get; private set; } = null!;
    public HostApi Admin { get; private set; } = null!;
    public HostDto HostA { get; private set; } = null!;
    public HostDto HostB { get; private set; } = null!;
    public ClusterDto Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var datastore = $"{SharedDatastore}={_shared.Path}";
        var a = HostAgentProcess.StartAsync("tcg", "--datastore", datastore);
        var b = HostAgentProcess.StartAsync(Link, "tcg", "--datastore", datastore, "--memory-mib", MemoryOfB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var center = CenterProcess.StartAsync("--host-monitor-interval", "1");
        try
        {
            await Task.WhenAll(a, b, center);
        }
        catch
        {
            // One did not start: the others that did are ended here (a failed fixture is never disposed with them set).
            AgentA = a.IsCompletedSuccessfully ? a.Result : null!;
            AgentB = b.IsCompletedSuccessfully ? b.Result : null!;
            Center = center.IsCompletedSuccessfully ? center.Result : null!;
            await DisposeAsync();
            throw;
        }

        (AgentA, AgentB, Center) = (a.Result, b.Result, center.Result);
        Admin = Center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await Admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("dc-motion"))).As<DatacenterDto>(HttpStatusCode.Created);
        var cluster = (await Admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest("cl-motion", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);
        Cluster = cluster;
        HostA = await AddAsync(AgentA, cluster, datacenter);
        HostB = await AddAsync(AgentB, cluster, datacenter);
    }

    public void Dispose()
    {
        _shared.Dispose();
        Link?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<HostDto> AddAsync(HostAgentProcess agent, ClusterDto cluster, DatacenterDto datacenter)
    {
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);
        return await Admin.SucceedsAsync<HostDto>(await Admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, cluster.Id, datacenter.Id)));
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        Admin = null!;
        if (Center is not null)
        {
            await Center.DisposeAsync();
            Center = null!;
        }

        if (AgentA is not null)
        {
            await AgentA.DisposeAsync();
            AgentA = null!;
        }

        if (AgentB is not null)
        {
            await AgentB.DisposeAsync();
            AgentB = null!;
        }

        _shared.Dispose();
        Link?.Dispose();
    }

    public string SharedPath => _shared.Path;

    /// <summary>The Center's name of host A's own (local) datastore.</summary>
    public string LocalOfA => $"local ({HostA.Id})";

    /// <summary>The Center's name of host B's own (local) datastore.</summary>
    public string LocalOfB => $"local ({HostB.Id})";

    /// <summary>A tiny guest on the shared datastore of host A (or its <paramref name="datastore"/>), powered on (unless told otherwise).</summary>
    public async Task<CenterVmDto> CreateRunningAsync(string name, string? kernelArgs = null, IReadOnlyList<VmDiskRequest>? disks = null, bool powerOn = true, string datastore = SharedDatastore, long memoryMiB = 128)
    {
        var vm = await Admin.SucceedsAsync<CenterVmDto>(await Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = HostA.Id,
            Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = memoryMiB, Datastore = datastore, KernelArgs = kernelArgs, Disks = disks ?? [] },
        }));
        var uuid = (await AgentA.Api.GetVmAsync(vm.HostLocalId!)).Uuid;
        lock (_uuids)
        {
            _uuids[vm.Id] = uuid;
        }

        if (powerOn)
        {
            await Admin.SucceedsAsync(await Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        }

        return vm;
    }

    public async Task<string> SerialAsync(string vmId)
    {
        var response = await Admin.Http.GetAsync(new Uri($"/api/vms/{vmId}/console/serial?offset=0", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits for <c>tick N</c> (N ≥ <paramref name="atLeast"/>) in the VM's serial log, read through the Center from wherever it runs.</summary>
    public async Task<int> WaitForTickAsync(string vmId, int atLeast)
    {
        var log = await Eventually.GetAsync(() => SerialAsync(vmId), l => TinyGuestLog.LastTick(l) >= atLeast, Timeout, $"tick {atLeast} of {vmId}");
        return TinyGuestLog.LastTick(log);
    }

    /// <summary>The VM runs on <paramref name="host"/> by the Center's record and that host's agent, and its ticks advance.</summary>
    public async Task AssertRunsOnAsync(CenterVmDto vm, HostDto host)
    {
        var record = await Eventually.GetAsync(async () => (await Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>(), v => v.HostId == host.Id && v.PowerState == "poweredOn", Timeout, $"{vm.Name} on {host.Id}");
        var agent = host.Id == HostA.Id ? AgentA : AgentB;
        Assert.Equal("poweredOn", (await agent.Api.GetVmAsync(record.HostLocalId!)).PowerState);
        var now = TinyGuestLog.LastTick(await SerialAsync(vm.Id));
        await WaitForTickAsync(vm.Id, now + 5);
    }

    public async Task WaitForHostConnectedAsync(HostDto host) =>
        await Eventually.GetAsync(async () => (await Admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>(), h => h.ConnectionState == "connected", Timeout, $"{host.Id} connected again");

    public async Task DeleteAsync(CenterVmDto vm)
    {
        var current = (await Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        if (current.PowerState != "poweredOff")
        {
            await Admin.SucceedsAsync(await Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        }

        await Admin.SucceedsAsync(await Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"));
    }

    /// <summary>
    /// A tiny guest on host A whose data disk already holds <paramref name="filledMiB"/> MiB of data (written from
    /// outside before it boots), so a throttled copy of that disk takes long enough to be cancelled mid-way.
    /// </summary>
    public async Task<CenterVmDto> CreateRunningWithDataAsync(string name, string kernelArgs, string diskSize, int filledMiB, string datastore = SharedDatastore)
    {
        var vm = await CreateRunningAsync(name, kernelArgs, [new VmDiskRequest(diskSize)], powerOn: false, datastore: datastore);
        var onHost = await AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var disk = Path.Combine(onHost.Folder, onHost.Disks[0].Path);
        using (var fill = System.Diagnostics.Process.Start("qemu-io", ["-f", onHost.Disks[0].Format, "-c", $"write -P 0x5a 0 {filledMiB}M", disk])!)
        {
            await fill.WaitForExitAsync();
            Assert.Equal(0, fill.ExitCode);
        }

        await Admin.SucceedsAsync(await Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        return vm;
    }

    /// <summary>The <c>-cpu</c> argument of a running QEMU (from its command line).</summary>
    public static string? QemuCpuModel(int pid)
    {
        var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        var i = Array.IndexOf(argv, "-cpu");
        return i >= 0 && i + 1 < argv.Length ? argv[i + 1] : null;
    }

    /// <summary>QEMU processes of this VM (its UUID is on their command line), on any host.</summary>
    public int QemuCount(CenterVmDto vm) => QemuPids(vm).Count;

    /// <summary>The destination's paused incoming QEMU of this VM, if one runs.</summary>
    public int? IncomingQemu(CenterVmDto vm) => QemuPids(vm).Where(p => p.Incoming).Select(p => (int?)p.Pid).FirstOrDefault();

    private List<(int Pid, bool Incoming)> QemuPids(CenterVmDto vm)
    {
        var found = new List<(int, bool)>();
        var uuid = UuidOf(vm);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(uuid, StringComparison.Ordinal) && !state.Contains(") Z ", StringComparison.Ordinal))
                {
                    found.Add((pid, cmdline.Contains("-incoming", StringComparison.Ordinal)));
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private string UuidOf(CenterVmDto vm)
    {
        lock (_uuids)
        {
            return _uuids[vm.Id];
        }
    }
}
