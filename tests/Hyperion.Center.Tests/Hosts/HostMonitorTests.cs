using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Datastores;
using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Inventory;
using Hyperion.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Hosts;

/// <summary>The heartbeat's grace rule with fake time, and VM convergence, against a real SQLite database.</summary>
public sealed class HostMonitorTests : IAsyncLifetime
{
    private static readonly string Fingerprint = new('a', 64);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private string _authorityDirectory = null!;
    private SqliteCenter _center = null!;
    private CenterCertificateAuthority _authority = null!;
    private DatacenterDto _datacenter = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        _authorityDirectory = Directory.CreateTempSubdirectory("hy-ca-").FullName;
        _authority = CenterCertificateAuthority.LoadOrCreate(_authorityDirectory, TimeProvider.System);
        await using var db = _center.Factory.CreateDbContext();
        await AdministratorAccount.EnsureAsync(db, "admin-password", _time, Ct);
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        _datacenter = await new InventoryService(db, new AccessControl(db), _time).CreateDatacenterAsync(new AuthenticatedUser(admin.Id, admin.Name), new DatacenterCreateRequest("dc1"), Ct);
    }

    public async Task DisposeAsync()
    {
        await _center.DisposeAsync();
        _authority.Dispose();
        Directory.Delete(_authorityDirectory, recursive: true);
    }

    [Fact]
    public async Task ReconcileAsync_HostSilentWithinGrace_StaysConnectedThenNotResponding()
    {
        var hostId = await AddHostAsync($"127.0.0.1", FreePort.Next());
        using var connections = new HostConnections();
        using var monitor = new HostMonitor(_center.Factory, connections, new HostCredentials(_authority), new HostInventoryVersions(), new HostMonitorOptions { Grace = TimeSpan.FromSeconds(15) }, _time, NullLogger<HostMonitor>.Instance);

        _time.Advance(TimeSpan.FromSeconds(10));
        await monitor.ReconcileAsync(Ct);
        var within = await StateAsync(hostId);
        _time.Advance(TimeSpan.FromSeconds(6));
        await monitor.ReconcileAsync(Ct);
        await monitor.ReconcileAsync(Ct);

        Assert.Equal(HostConnectionState.Connected, within);
        Assert.Equal(HostConnectionState.NotResponding, await StateAsync(hostId));
    }

    [Fact]
    public async Task ReconcileAsync_DisconnectedHost_LeftAlone()
    {
        var hostId = await AddHostAsync("127.0.0.1", FreePort.Next(), HostConnectionState.Disconnected);
        using var connections = new HostConnections();
        using var monitor = new HostMonitor(_center.Factory, connections, new HostCredentials(_authority), new HostInventoryVersions(), new HostMonitorOptions(), _time, NullLogger<HostMonitor>.Instance);

        _time.Advance(TimeSpan.FromMinutes(5));
        await monitor.ReconcileAsync(Ct);

        Assert.Equal(HostConnectionState.Disconnected, await StateAsync(hostId));
    }

    [Fact]
    public async Task ApplyAsync_HostReportsChanges_RecordsConvergeIdempotently()
    {
        var hostId = await AddHostAsync("127.0.0.1", 1);
        await ApplyAsync(hostId, Vm("vm-1", "a", "poweredOn"), Vm("vm-2", "b", "poweredOff"));

        var second = await ApplyAsync(hostId, Vm("vm-1", "a", "poweredOff"), Vm("vm-3", "c", "suspended"));
        var third = await ApplyAsync(hostId, Vm("vm-1", "a", "poweredOff"), Vm("vm-3", "c", "suspended"));

        Assert.Equal((1, 1, 1), second);
        Assert.Equal((0, 0, 0), third);
        await using var db = _center.Factory.CreateDbContext();
        var vms = await db.Vms.OrderBy(v => v.Name).ToListAsync(Ct);
        Assert.Equal(["a:PoweredOff:vm-1", "c:Suspended:vm-3"], vms.Select(v => $"{v.Name}:{v.PowerState}:{v.HostLocalId}"));
        Assert.All(vms, v => Assert.Equal(_datacenter.VmFolderId, v.FolderId.Value));
        Assert.All(vms, v => Assert.Equal(InventoryObjectKind.Vm, v.Id.Kind));
    }

    [Fact]
    public async Task ApplyAsync_SameNameOnTwoHosts_SecondQualifiedByHost()
    {
        var first = await AddHostAsync("127.0.0.1", 1);
        var second = await AddHostAsync("127.0.0.1", 2);

        await ApplyAsync(first, Vm("vm-1", "web", "poweredOn"));
        await ApplyAsync(second, Vm("vm-1", "web", "poweredOn"));

        await using var db = _center.Factory.CreateDbContext();
        Assert.Equal(["web", $"web ({second.Value})"], await db.Vms.OrderBy(v => v.Name).Select(v => v.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task ApplyAsync_TwoHosts_LocalDatastoresApartSharedOneNetworksFromNics()
    {
        var first = await AddHostAsync("127.0.0.1", 1);
        var second = await AddHostAsync("127.0.0.1", 2);

        await ApplyAsync(first, Vm("vm-1", "a", "poweredOn") with { Datastore = "shared", Nics = [new VmNicDto("52:54:00:00:00:01", "br-prod")] });
        await ApplyAsync(second, Vm("vm-1", "b", "poweredOn") with { Datastore = "local" });
        await ApplyAsync(second, Vm("vm-1", "b", "poweredOn") with { Datastore = "local" });

        await using var db = _center.Factory.CreateDbContext();
        var datastores = await db.Datastores.OrderBy(d => d.Name).ToListAsync(Ct);
        Assert.Equal([$"local ({first.Value})", $"local ({second.Value})", "shared"], datastores.Select(d => d.Name));
        var shared = datastores.Single(d => d.Name == "shared");
        Assert.Equal(2, await db.DatastoreMounts.CountAsync(m => m.DatastoreId == shared.Id, Ct));
        Assert.Equal(4, await db.DatastoreMounts.CountAsync(Ct));
        Assert.Equal(shared.Id, (await db.Vms.SingleAsync(v => v.Name == "a", Ct)).DatastoreId);
        Assert.Equal(datastores[1].Id, (await db.Vms.SingleAsync(v => v.Name == "b", Ct)).DatastoreId);
        Assert.Equal(["br-prod"], await db.Networks.Select(n => n.Name).ToListAsync(Ct));
    }

    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void Normalize_AnySpelling_LowerHexAndFormatsBack(string spelling)
    {
        var normalized = HostFingerprint.Normalize(spelling);

        Assert.Equal("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", normalized);
        Assert.Equal("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89", HostFingerprint.Format(normalized!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz:cd")]
    public void Normalize_NotAFingerprint_Null(string spelling) => Assert.Null(HostFingerprint.Normalize(spelling));

    private static readonly HostInfoDto HostInfo = new()
    {
        Name = "h",
        AgentVersion = "test",
        CpuModel = "test",
        CpuFlags = [],
        Cores = 2,
        MemoryMiB = 1024,
        MemoryAvailableMiB = 512,
        Acceleration = new AccelerationDto("tcg", "tcg", "test", null),
        Driver = "qemu",
        QemuVersion = "7.2",
        CertificateFingerprint = "x",
        Datastores = [new DatastoreDto("local", "/x", "local", 100, 50), new DatastoreDto("shared", "/s", "directory", 100, 50)],
        VmCount = 0,
        RunningVms = [],
        StartedAt = DateTimeOffset.UnixEpoch,
    };

    private static VmDto Vm(string id, string name, string power) => new()
    {
        Id = id,
        Name = name,
        Uuid = Guid.NewGuid().ToString(),
        PowerState = power,
        Cpus = 1,
        MemoryMiB = 128,
        Disks = [],
        Nics = [],
        Boot = new VmBootDto("image", "tiny", null, null, null, null),
        Datastore = "local",
        Folder = name,
    };

    private async Task<(int, int, int)> ApplyAsync(InventoryId hostId, params VmDto[] vms)
    {
        await using var db = _center.Factory.CreateDbContext();
        var host = await db.Hosts.SingleAsync(h => h.Id == hostId, Ct);
        var result = await HostInventorySync.ApplyAsync(db, host, new HostCallResult(HostInfo, vms), TimeProvider.System, Ct);
        await db.SaveChangesAsync(Ct);
        return result;
    }

    private async Task<InventoryId> AddHostAsync(string address, int port, HostConnectionState state = HostConnectionState.Connected)
    {
        await using var db = _center.Factory.CreateDbContext();
        var host = new HostRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Host, Ct),
            Address = address,
            Port = port,
            CertificateSha256 = Fingerprint,
            UserName = "root",
            Password = "pw",
            ConnectionState = state,
            LastHeartbeatAt = _time.GetUtcNow(),
            FolderId = InventoryId.Parse(_datacenter.HostFolderId),
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(Ct);
        return host.Id;
    }

    private async Task<HostConnectionState> StateAsync(InventoryId hostId)
    {
        await using CenterDbContext db = _center.Factory.CreateDbContext();
        return await db.Hosts.Where(h => h.Id == hostId).Select(h => h.ConnectionState).SingleAsync(Ct);
    }
}
