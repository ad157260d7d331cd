using Hyperion.Center.Authorization;
using Hyperion.Center.Ha;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Ha;

/// <summary>The Center's HA: settings pushed to (test doubles of) host agents, rollback, status, admission control.</summary>
#pragma warning disable CA1001 // xUnit disposes the fixture's fields through IAsyncLifetime.DisposeAsync.
public sealed class ClusterHaServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly List<FakeHaHost> _fakes = [];
    private HostConnections _connections = null!;
    private SqliteCenter _center = null!;
    private TestAuthority _authority = null!;
    private AuthenticatedUser _admin = null!;
    private DatacenterDto _datacenter = null!;
    private ClusterDto _cluster = null!;

#pragma warning restore CA1001

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        _authority = new TestAuthority();
        _connections = new HostConnections();
        await using var db = _center.Factory.CreateDbContext();
        await AdministratorAccount.EnsureAsync(db, "admin-password", _time, Ct);
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        _admin = new AuthenticatedUser(admin.Id, admin.Name);
        var inventory = new InventoryService(db, new AccessControl(db), _time);
        _datacenter = await inventory.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("dc1"), Ct);
        _cluster = await inventory.CreateClusterAsync(_admin, new ClusterCreateRequest("c1", "dc1"), Ct);
    }

    public async Task DisposeAsync()
    {
        _connections.Dispose();
        foreach (var fake in _fakes)
        {
            await fake.DisposeAsync();
        }

        await _center.DisposeAsync();
        _authority.Dispose();
    }

    [Fact]
    public async Task SetAsync_Enable_GivesEveryHostTheClusterSettings()
    {
        var hosts = await AddHostsAsync(3);

        var cluster = await SetAsync(new ClusterHaRequest(true));

        Assert.Equal((true, 1, HaIsolationResponses.PowerOff, true), (cluster.Ha!.Enabled, cluster.Ha.HostFailuresTolerated, cluster.Ha.IsolationResponse, cluster.Ha.VmMonitoring));
        Assert.Equal(["shared"], cluster.Ha.HeartbeatDatastores);
        foreach (var (fake, id) in hosts)
        {
            Assert.Equal(_cluster.Id, fake.Config!.ClusterId);
            Assert.Equal(id.Value, fake.Config.HostId);
            Assert.Equal("127.0.0.1", fake.Config.HostName);
            Assert.Equal(HaIsolationResponses.PowerOff, fake.Config.IsolationResponse);
            Assert.Equal(["shared"], fake.Config.HeartbeatDatastores);
            Assert.Equal(1, fake.Config.HostFailuresTolerated);
        }

        Assert.Equal([CenterEventTypes.ClusterHaEnabled], await EventTypesAsync());
        var listed = await ListedClusterAsync();
        Assert.True(listed.Ha!.Enabled);
    }

    [Theory]
    [InlineData("reboot", 1, null, "isolationResponse")]
    [InlineData(null, 3, null, "hostFailuresTolerated")]
    [InlineData(null, -1, null, "hostFailuresTolerated")]
    [InlineData(null, 1, "only-on-first", "heartbeatDatastores")]
    [InlineData(null, 1, "nowhere", "heartbeatDatastores")]
    public async Task SetAsync_InvalidSettings_RefusedAndNothingChanged(string? isolation, int failures, string? datastore, string field)
    {
        var hosts = await AddHostsAsync(3);

        var ex = await Assert.ThrowsAsync<DomainException>(() => SetAsync(new ClusterHaRequest(true, failures, isolation, null, datastore is null ? null : [datastore])));

        Assert.Equal(ErrorCodes.HaInvalidConfig, ex.Code);
        Assert.Contains(ex.Errors, e => e.Field == field);
        Assert.All(hosts, h => Assert.Empty(h.Fake.Calls));
        Assert.Null((await ListedClusterAsync()).Ha);
        Assert.Empty(await EventTypesAsync());
    }

    [Fact]
    public async Task HeartbeatDatastoreChoicesAsync_SharedByEveryHost_NotLocalNorOnOneHostOnly()
    {
        await AddHostsAsync(3);
        await using var db = _center.Factory.CreateDbContext();

        Assert.Equal(["shared"], await Service(db).HeartbeatDatastoreChoicesAsync(_admin, _cluster.Id, Ct));
        await Assert.ThrowsAsync<DomainException>(() => Service(db).HeartbeatDatastoreChoicesAsync(_admin, "domain-c999", Ct));
    }

    [Fact]
    public async Task SetAsync_HostNotConnected_RefusedAndNothingChanged()
    {
        var hosts = await AddHostsAsync(2);
        await using (var db = _center.Factory.CreateDbContext())
        {
            await db.Hosts.Where(h => h.Id == hosts[1].Id).ExecuteUpdateAsync(s => s.SetProperty(h => h.ConnectionState, HostConnectionState.NotResponding), Ct);
        }

        var ex = await Assert.ThrowsAsync<DomainException>(() => SetAsync(new ClusterHaRequest(true)));

        Assert.Equal(ErrorCodes.HostNotConnected, ex.Code);
        Assert.Contains(hosts[1].Id.Value, ex.Message, StringComparison.Ordinal);
        Assert.All(hosts, h => Assert.Empty(h.Fake.Calls));
    }

    [Fact]
    public async Task SetAsync_LastHostRefuses_OthersRolledBackAndHostNamed()
    {
        var hosts = await AddHostsAsync(3);
        var refusing = hosts[^1];
        refusing.Fake.RefuseWith = ErrorCodes.HaNotConfigured;

        var ex = await Assert.ThrowsAsync<DomainException>(() => SetAsync(new ClusterHaRequest(true)));

        Assert.Equal(ErrorCodes.HaNotConfigured, ex.Code);
        Assert.Contains(refusing.Id.Value, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--etcd", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["PUT", "DELETE"], hosts[0].Fake.Calls);
        Assert.Equal(["PUT", "DELETE"], hosts[1].Fake.Calls);
        Assert.Equal(["PUT"], refusing.Fake.Calls);
        Assert.All(hosts, h => Assert.Null(h.Fake.Config));
        Assert.Null((await ListedClusterAsync()).Ha);
        Assert.Empty(await EventTypesAsync());
    }

    [Fact]
    public async Task SetAsync_ReconfigureRefused_OthersGetTheirPreviousSettingsBack()
    {
        var hosts = await AddHostsAsync(3);
        await SetAsync(new ClusterHaRequest(true));
        hosts[^1].Fake.RefuseWith = ErrorCodes.HaNotConfigured;

        await Assert.ThrowsAsync<DomainException>(() => SetAsync(new ClusterHaRequest(true, IsolationResponse: HaIsolationResponses.LeaveOn)));

        Assert.Equal(HaIsolationResponses.PowerOff, hosts[0].Fake.Config!.IsolationResponse);
        Assert.Equal(HaIsolationResponses.PowerOff, (await ListedClusterAsync()).Ha!.IsolationResponse);
    }

    [Fact]
    public async Task SetAsync_Disable_DeletesOnEveryHostAndKeepsTheSettings()
    {
        var hosts = await AddHostsAsync(2);
        await SetAsync(new ClusterHaRequest(true, 1, HaIsolationResponses.Shutdown, false));

        var cluster = await SetAsync(new ClusterHaRequest(false));

        Assert.Equal((false, 1, HaIsolationResponses.Shutdown, false), (cluster.Ha!.Enabled, cluster.Ha.HostFailuresTolerated, cluster.Ha.IsolationResponse, cluster.Ha.VmMonitoring));
        Assert.All(hosts, h => Assert.Equal(["PUT", "DELETE"], h.Fake.Calls));
        Assert.All(hosts, h => Assert.Null(h.Fake.Config));
        Assert.Equal([CenterEventTypes.ClusterHaEnabled, CenterEventTypes.ClusterHaDisabled], await EventTypesAsync());
    }

    [Fact]
    public async Task GetStatusAsync_MasterView_HostsMappedSilentHostFailedAdmissionComputed()
    {
        var hosts = await AddHostsAsync(3, memoryMiB: 4096);
        await SetAsync(new ClusterHaRequest(true));
        var (master, member, silent) = (hosts[1], hosts[0], hosts[2]);
        silent.Fake.Silent = true;
        member.Fake.State = new HostHaStateDto { Enabled = true, State = HaHostStates.Connected, MasterHostId = master.Id.Value };
        master.Fake.State = new HostHaStateDto
        {
            Enabled = true,
            State = HaHostStates.Master,
            MasterHostId = master.Id.Value,
            Hosts =
            [
                new HaHostDto(master.Id.Value, "x", HaHostStates.Master, true, true, 100, 3000, 1),
                new HaHostDto("unknown-id", "127.0.0.1", HaHostStates.Connected, false, true, 200, 2000, 0),
            ],
            Vms = [new HaVmDto(Guid.NewGuid().ToString(), "web", master.Id.Value, master.Id.Value, HaRestartPriorities.High, HaVmProtectionStates.Protected, 1024, null)],
        };
        await AddVmAsync(master.Id, "web", 1024, VmPowerState.PoweredOn, HaRestartPriorities.High);
        await AddVmAsync(master.Id, "batch", 512, VmPowerState.PoweredOn, HaRestartPriorities.Disabled);

        var status = await Service(_center.Factory.CreateDbContext()).GetStatusAsync(_admin, _cluster.Id, Ct);

        Assert.Equal(master.Id.Value, status.MasterHostId);
        Assert.Equal(HaHostStates.Master, status.Hosts.Single(h => h.HostId == master.Id.Value).State);
        Assert.Equal(3000, status.Hosts.Single(h => h.HostId == master.Id.Value).FreeMemoryMiB);
        Assert.Equal("127.0.0.1", status.Hosts.Single(h => h.HostId == master.Id.Value).HostName);
        Assert.Equal(HaHostStates.Failed, status.Hosts.Single(h => h.HostId == silent.Id.Value).State);
        Assert.Equal(3, status.Hosts.Count(h => hosts.Any(x => x.Id.Value == h.HostId)));
        Assert.Equal([master.Id.Value], status.Vms.Select(v => v.HostId));
        Assert.Equal(new HaAdmissionDto(1, 12288, 4096, 1024, 12288 - 4096 - 1024), status.Admission);
    }

    [Fact]
    public async Task PowerAsync_ProtectedVmDoesNotFit_RefusedWithAdmissionControl()
    {
        var hosts = await AddHostsAsync(2, memoryMiB: 4096);
        await SetAsync(new ClusterHaRequest(true));
        await AddVmAsync(hosts[0].Id, "running", 3072, VmPowerState.PoweredOn, HaRestartPriorities.Medium);
        var big = await AddVmAsync(hosts[1].Id, "big", 2048, VmPowerState.PoweredOff, HaRestartPriorities.High);
        var small = await AddVmAsync(hosts[1].Id, "small", 1024, VmPowerState.PoweredOff, HaRestartPriorities.Low);
        var unprotected = await AddVmAsync(hosts[1].Id, "unprotected", 2048, VmPowerState.PoweredOff, HaRestartPriorities.Disabled);

        await using var db = _center.Factory.CreateDbContext();
        using var tasks = new TaskManager(_center.Factory, new TaskFeed(), TimeProvider.System, NullLogger<TaskManager>.Instance);
        var service = new CenterVmService(db, new AccessControl(db), _connections, _authority.Credentials, new HostInventoryVersions(), tasks, _time, new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());
        var ex = await Assert.ThrowsAsync<DomainException>(() => service.PowerAsync(_admin, big.Value, "power-on", null, Ct));

        Assert.Equal(ErrorCodes.HaAdmissionControl, ex.Code);
        Assert.Contains("needs 2048 MiB, 1024 MiB available", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 host failure(s)", ex.Message, StringComparison.Ordinal);
        await HaAdmission.RequirePowerOnAsync(db, hosts[1].Id, "small", 1024, HaRestartPriorities.Low, small, Ct);
        await HaAdmission.RequirePowerOnAsync(db, hosts[1].Id, "unprotected", 2048, HaRestartPriorities.Disabled, unprotected, Ct);
    }

    [Fact]
    public async Task RequirePowerOnAsync_HaOff_AlwaysAdmits()
    {
        var hosts = await AddHostsAsync(1, memoryMiB: 1024);
        await using var db = _center.Factory.CreateDbContext();

        await HaAdmission.RequirePowerOnAsync(db, hosts[0].Id, "vm", 999_999, HaRestartPriorities.High, null, Ct);
    }

    [Fact]
    public async Task SetHaAsync_RestartPriority_RelayedToTheHostAndRecorded()
    {
        var hosts = await AddHostsAsync(1);
        var vm = await AddVmAsync(hosts[0].Id, "web", 256, VmPowerState.PoweredOff, HaRestartPriorities.Medium);
        hosts[0].Fake.Vms.Add(new Contracts.Vms.VmDto
        {
            Id = "vm-1", Name = "web", Uuid = Guid.NewGuid().ToString(), PowerState = "poweredOff", Cpus = 1, MemoryMiB = 256,
            Disks = [], Nics = [], Boot = new Contracts.Vms.VmBootDto("image", "tiny", null, null, null, null), Datastore = "shared", Folder = "web",
        });
        await using var db = _center.Factory.CreateDbContext();
        using var tasks = new TaskManager(_center.Factory, new TaskFeed(), TimeProvider.System, NullLogger<TaskManager>.Instance);
        var service = new CenterVmService(db, new AccessControl(db), _connections, _authority.Credentials, new HostInventoryVersions(), tasks, _time, new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());

        var invalid = await Assert.ThrowsAsync<DomainException>(() => service.SetHaAsync(_admin, vm.Value, new VmHaRequest("urgent", null), Ct));
        var dto = await service.SetHaAsync(_admin, vm.Value, new VmHaRequest(HaRestartPriorities.High, false), Ct);

        Assert.Equal(ErrorCodes.HaInvalidConfig, invalid.Code);
        Assert.Equal(HaRestartPriorities.High, dto.RestartPriority);
        Assert.Equal(["PUT vm-1"], hosts[0].Fake.Calls);
        Assert.False(hosts[0].Fake.Vms[0].VmMonitoring);
        await using var check = _center.Factory.CreateDbContext();
        Assert.Equal(HaRestartPriorities.High, (await check.Vms.SingleAsync(v => v.Id == vm, Ct)).RestartPriority);
    }

    [Fact]
    public async Task ReconcileAsync_HostOfHaCluster_GivenItsSettingsOnceThenDeletedWhenHaGoesOff()
    {
        var hosts = await AddHostsAsync(1);
        await EnableInDatabaseAsync();
        using var monitor = new HostMonitor(_center.Factory, _connections, _authority.Credentials, new HostInventoryVersions(), new HostMonitorOptions(), _time, NullLogger<HostMonitor>.Instance);

        await monitor.ReconcileAsync(Ct);
        await monitor.ReconcileAsync(Ct);

        Assert.Equal(hosts[0].Id.Value, hosts[0].Fake.Config!.HostId);
        Assert.Equal(_cluster.Id, hosts[0].Fake.Config!.ClusterId);
        Assert.Equal(["PUT"], hosts[0].Fake.Calls);
        await using (var db = _center.Factory.CreateDbContext())
        {
            Assert.Equal(8192, (await db.Hosts.SingleAsync(h => h.Id == hosts[0].Id, Ct)).MemoryMiB);
            await db.Clusters.ExecuteUpdateAsync(s => s.SetProperty(c => c.HaEnabled, false), Ct);
        }

        await monitor.ReconcileAsync(Ct);
        await monitor.ReconcileAsync(Ct);

        Assert.Equal(["PUT", "DELETE"], hosts[0].Fake.Calls);
        Assert.Null(hosts[0].Fake.Config);
    }

    [Fact]
    public async Task ReconcileAsync_HostRefuses_OneEvent()
    {
        var hosts = await AddHostsAsync(1);
        await EnableInDatabaseAsync();

        hosts[0].Fake.RefuseWith = ErrorCodes.HaNotConfigured;
        using var monitor = new HostMonitor(_center.Factory, _connections, _authority.Credentials, new HostInventoryVersions(), new HostMonitorOptions(), _time, NullLogger<HostMonitor>.Instance);

        await monitor.ReconcileAsync(Ct);
        await monitor.ReconcileAsync(Ct);

        Assert.Equal(["PUT", "PUT"], hosts[0].Fake.Calls);
        Assert.Equal([CenterEventTypes.HostHaConfigFailed], await EventTypesAsync());
    }

    /// <summary>HA on for the cluster as a previous Center run left it (no host told yet).</summary>
    private async Task EnableInDatabaseAsync()
    {
        await using var db = _center.Factory.CreateDbContext();
        await db.Clusters.ExecuteUpdateAsync(s => s.SetProperty(c => c.HaEnabled, true).SetProperty(c => c.HaIsolationResponse, HaIsolationResponses.PowerOff).SetProperty(c => c.HaHostFailuresTolerated, 0), Ct);
    }

    private ClusterHaService Service(CenterDbContext db) => new(db, new AccessControl(db), _connections, _authority.Credentials, _time);

    private async Task<ClusterDto> SetAsync(ClusterHaRequest request)
    {
        await using var db = _center.Factory.CreateDbContext();
        return await Service(db).SetAsync(_admin, _cluster.Id, request, Ct);
    }

    private async Task<ClusterDto> ListedClusterAsync()
    {
        await using var db = _center.Factory.CreateDbContext();
        var page = await new InventoryService(db, new AccessControl(db), _time).ListClustersAsync(_admin, null, null, Hyperion.Center.Paging.PageRequest.Parse(null, null), Ct);
        return page.Items.Single();
    }

    private async Task<List<string>> EventTypesAsync()
    {
        await using var db = _center.Factory.CreateDbContext();
        return await db.Events.Where(e => e.Type.StartsWith("cluster.ha") || e.Type.StartsWith("host.ha")).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync(Ct);
    }

    /// <summary>Fake hosts in the cluster, ordered as the Center orders them (address, then port); each mounts <c>shared</c>, the first also <c>only-on-first</c>.</summary>
    private async Task<List<(FakeHaHost Fake, InventoryId Id)>> AddHostsAsync(int count, long memoryMiB = 8192)
    {
        var added = new List<(FakeHaHost, InventoryId)>();
        await using var db = _center.Factory.CreateDbContext();
        var datacenter = InventoryId.Parse(_datacenter.Id);
        var shared = await db.Datastores.SingleOrDefaultAsync(d => d.Name == "shared", Ct);
        if (shared is null)
        {
            shared = new DatastoreRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datastore, Ct), Name = "shared", DatacenterId = datacenter, Type = "directory" };
            db.Datastores.Add(shared);
        }

        var onlyFirst = new DatastoreRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datastore, Ct), Name = count > 1 ? "only-on-first" : "unused", DatacenterId = datacenter, Type = "directory" };
        db.Datastores.Add(onlyFirst);
        for (var i = 0; i < count; i++)
        {
            var fake = await FakeHaHost.StartAsync(Ct);
            fake.MemoryMiB = memoryMiB;
            _fakes.Add(fake);
            var host = new HostRecord
            {
                Id = await db.AllocateIdAsync(InventoryObjectKind.Host, Ct),
                Address = "127.0.0.1",
                Port = fake.Port,
                CertificateSha256 = fake.Fingerprint,
                ConnectionState = HostConnectionState.Connected,
                LastHeartbeatAt = _time.GetUtcNow(),
                ClusterId = InventoryId.Parse(_cluster.Id),
                MemoryMiB = memoryMiB,
            };
            db.Hosts.Add(host);
            db.DatastoreMounts.Add(new DatastoreMountRecord { HostId = host.Id, DatastoreId = shared.Id, Path = "/s" });
            if (i == 0)
            {
                db.DatastoreMounts.Add(new DatastoreMountRecord { HostId = host.Id, DatastoreId = onlyFirst.Id, Path = "/o" });
            }

            added.Add((fake, host.Id));
        }

        await db.SaveChangesAsync(Ct);
        return [.. added.OrderBy(h => h.Item1.Port)];
    }

    private async Task<InventoryId> AddVmAsync(InventoryId hostId, string name, long memoryMiB, VmPowerState power, string priority)
    {
        await using var db = _center.Factory.CreateDbContext();
        var vm = new VmRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct),
            Name = name,
            FolderId = InventoryId.Parse(_datacenter.VmFolderId),
            HostId = hostId,
            HostLocalId = VmId.TryParse($"vm-{await db.Vms.CountAsync(v => v.HostId == hostId, Ct) + 1}", out var local) ? local : default,
            Uuid = Guid.NewGuid(),
            PowerState = power,
            Cpus = 1,
            MemoryMiB = memoryMiB,
            RestartPriority = priority,
        };
        db.Vms.Add(vm);
        await db.SaveChangesAsync(Ct);
        return vm.Id;
    }

    /// <summary>The Center's CA in a temporary directory (for its client certificate).</summary>
    private sealed class TestAuthority : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("hy-ca-").FullName;
        private readonly CenterCertificateAuthority _authority;

        public TestAuthority()
        {
            _authority = CenterCertificateAuthority.LoadOrCreate(_directory, TimeProvider.System);
            Credentials = new HostCredentials(_authority);
        }

        public HostCredentials Credentials { get; }

        public void Dispose()
        {
            _authority.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
