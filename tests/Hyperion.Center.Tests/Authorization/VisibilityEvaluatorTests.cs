using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tests.Authorization;

/// <summary>
/// The batched evaluator against the per-object query it replaces for lists (<see cref="EffectivePrivilegesQuery"/>):
/// on random inventories with random permissions (No access included), both must give the same answer for every
/// object, in memory and as the SQL filters the lists use.
/// </summary>
public sealed class VisibilityEvaluatorTests : CenterDatabaseTests, IDisposable
{
    private static readonly string[] Roles = [BuiltInRoles.AdministratorName, BuiltInRoles.ReadOnlyName, BuiltInRoles.VmOperatorName, BuiltInRoles.NoAccessName];
    private static readonly string[] Checked = [Privileges.SystemView, Privileges.VmPowerOn, Privileges.SystemRead];

    private readonly SqliteDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task VisibilityAsync_AdministratorOnRoot_UnrestrictedWithoutReadingTheTree()
    {
        var evaluator = await InRequestAsync((_, access) => access.VisibilityAsync(Admin.Name, Privileges.SystemView, Ct));

        Assert.True(evaluator.Unrestricted);
    }

    [Fact]
    public async Task VisibilityAsync_AdministratorWithNoAccessOnAFolder_Restricted()
    {
        InventoryId folder;
        await using (var db = Factory.CreateDbContext())
        {
            folder = (await AddDatacenterAsync(db, "dc")).VmFolder;
        }

        await GrantAsync(Admin, BuiltInRoles.NoAccessName, folder);

        var evaluator = await InRequestAsync((_, access) => access.VisibilityAsync(Admin.Name, Privileges.SystemView, Ct));

        Assert.False(evaluator.Unrestricted);
        Assert.False(evaluator.Allows(folder));
        Assert.True(evaluator.Allows(InventoryId.RootFolder));
    }

    [Fact]
    public async Task FilterByObject_OrElse_AddsRowsWhateverTheirObject()
    {
        InventoryId seen, hidden;
        await using (var db = Factory.CreateDbContext())
        {
            seen = (await AddDatacenterAsync(db, "a")).Datacenter;
            hidden = (await AddDatacenterAsync(db, "b")).Datacenter;
            db.Events.AddRange(
                new EventRecord { Time = Time.GetUtcNow(), Type = "t", ObjectId = seen, Message = "seen" },
                new EventRecord { Time = Time.GetUtcNow(), Type = "t", ObjectId = hidden, Message = "hidden" },
                new EventRecord { Time = Time.GetUtcNow(), Type = "t", ObjectId = hidden, UserName = "reader", Message = "hidden, mine" },
                new EventRecord { Time = Time.GetUtcNow(), Type = "t", Message = "center" });
            await db.SaveChangesAsync(Ct);
        }

        var reader = await AddUserAsync("reader");
        await GrantAsync(reader, BuiltInRoles.ReadOnlyName, seen);

        var messages = await InRequestAsync(async (db, access) =>
        {
            var evaluator = await access.VisibilityAsync(reader.Name, Privileges.SystemView, Ct);
            return await evaluator.FilterByObject(db.Events.AsNoTracking(), e => e.ObjectId, db.Vms.AsNoTracking(), withoutObject: false, orElse: e => e.UserName == reader.Name)
                .OrderBy(e => e.Id).Select(e => e.Message).ToListAsync(Ct);
        });

        Assert.Equal(["seen", "hidden, mine"], messages);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Evaluator_RandomInventory_SameAnswersAsPerObjectQuery(int seed)
    {
        var random = new Random(seed);
        var (objects, vms) = await SeedRandomInventoryAsync(random);
        var users = new List<AuthenticatedUser>();
        for (var u = 0; u < 3; u++)
        {
            var user = await AddUserAsync($"user-{u}");
            users.Add(user);
            foreach (var target in objects.Concat(vms.Select(v => v.Id)).Append(InventoryId.RootFolder).OrderBy(_ => random.Next()).Take(10))
            {
                await GrantAsync(user, Roles[random.Next(Roles.Length)], target, propagate: random.Next(4) > 0);
            }
        }

        await SeedEventsAsync(objects, vms);
        var partial = 0;
        foreach (var user in users.Append(Admin))
        {
            await using var db = Factory.CreateDbContext();
            var expected = new Dictionary<InventoryId, IReadOnlySet<string>>();
            foreach (var id in objects.Concat(vms.Select(v => v.Id)).Append(InventoryId.RootFolder))
            {
                expected[id] = await EffectivePrivilegesQuery.GetAsync(db, user.Name, id, Ct);
            }

            foreach (var privilege in Checked)
            {
                var access = new AccessControl(db);
                var evaluator = await access.VisibilityAsync(user.Name, privilege, Ct);
                string Context(InventoryId id) => $"seed {seed}, {user.Name}, {privilege}, {id}";

                foreach (var id in objects.Append(InventoryId.RootFolder))
                {
                    Assert.True(expected[id].Contains(privilege) == evaluator.Allows(id), Context(id));
                }

                foreach (var vm in vms)
                {
                    Assert.True(expected[vm.Id].Contains(privilege) == evaluator.AllowsVm(vm.Id, vm.FolderId, vm.HostId), Context(vm.Id));
                }

                var allowed = expected.Count(e => e.Value.Contains(privilege));
                partial += allowed > 0 && allowed < expected.Count ? 1 : 0;
                var visibleVms = await evaluator.FilterVms(db.Vms.AsNoTracking())
                    .Select(v => v.Id).ToListAsync(Ct);
                Assert.Equal(Expected(expected, privilege, InventoryObjectKind.Vm), visibleVms.Order(IdOrder));
                var visibleHosts = await evaluator.Filter(db.Hosts.AsNoTracking(), InventoryObjectKind.Host, h => h.Id, h => h.ClusterId ?? h.FolderId, t => t.Objects)
                    .Select(h => h.Id).ToListAsync(Ct);
                Assert.Equal(Expected(expected, privilege, InventoryObjectKind.Host), visibleHosts.Order(IdOrder));
                var visibleFolders = await evaluator.Filter(db.Folders.AsNoTracking(), InventoryObjectKind.Folder, f => f.Id, f => f.ParentFolderId ?? f.DatacenterId, t => t.Objects)
                    .Select(f => f.Id).ToListAsync(Ct);
                Assert.Equal(Expected(expected, privilege, InventoryObjectKind.Folder), visibleFolders.Order(IdOrder));

                var events = await evaluator.FilterByObject(db.Events.AsNoTracking(), e => e.ObjectId, db.Vms.AsNoTracking(), withoutObject: false)
                    .Select(e => e.ObjectId).ToListAsync(Ct);
                var expectedEvents = expected.Where(e => e.Value.Contains(privilege)).Select(e => e.Key).ToList();
                if (evaluator.Unrestricted)
                {
                    expectedEvents.Add(new InventoryId("vm-999999")); // an object that no longer exists: only for those who see everything
                }

                Assert.Equal(expectedEvents.Order(IdOrder), events.Select(e => e!.Value).Order(IdOrder));
            }
        }

        Assert.True(partial >= 3, $"seed {seed}: only {partial} user/privilege pairs see part of the inventory; the comparison needs mixed answers");
    }

    protected override Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) => Task.FromResult(_databases.Create());

    private static IComparer<InventoryId> IdOrder { get; } = Comparer<InventoryId>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value));

    private static IEnumerable<InventoryId> Expected(Dictionary<InventoryId, IReadOnlySet<string>> expected, string privilege, InventoryObjectKind kind) =>
        expected.Where(e => e.Key.Kind == kind && e.Value.Contains(privilege)).Select(e => e.Key).Order(IdOrder);

    /// <summary>Datacenters (one in a datacenter folder), nested host and VM folders, clusters, hosts, VMs.</summary>
    private async Task<(List<InventoryId> Objects, List<VmRecord> Vms)> SeedRandomInventoryAsync(Random random)
    {
        await using var db = Factory.CreateDbContext();
        var objects = new List<InventoryId>();
        var datacenterFolder = await AddFolderAsync(db, "dcs", InventoryId.RootFolder);
        objects.Add(datacenterFolder);
        var vmFolders = new List<InventoryId>();
        var hostParents = new List<InventoryId>();
        var hostNumber = 0;
        for (var d = 0; d < 3; d++)
        {
            var (datacenter, hostFolder, vmFolder) = await AddDatacenterAsync(db, $"dc-{d}", d == 2 ? datacenterFolder : null);
            objects.AddRange([datacenter, hostFolder, vmFolder]);
            vmFolders.Add(vmFolder);
            hostParents.Add(hostFolder);
            var mine = new List<InventoryId> { vmFolder };
            for (var f = 0; f < 4; f++)
            {
                var sub = await AddFolderAsync(db, $"vf-{f}", mine[random.Next(mine.Count)]);
                mine.Add(sub);
                vmFolders.Add(sub);
                objects.Add(sub);
            }

            var hostSub = await AddFolderAsync(db, "hf", hostFolder);
            objects.Add(hostSub);
            hostParents.Add(hostSub);
            for (var c = 0; c < 2; c++)
            {
                var cluster = await AddClusterAsync(db, $"c-{c}", random.Next(2) == 0 ? hostFolder : hostSub);
                objects.Add(cluster);
                hostParents.Add(cluster);
            }
        }

        var hosts = new List<InventoryId>();
        for (var h = 0; h < 8; h++)
        {
            var host = await AddHostAsync(db, $"10.0.0.{++hostNumber}", hostParents[random.Next(hostParents.Count)]);
            hosts.Add(host);
            objects.Add(host);
        }

        var vms = await SeedVmsAsync(db, Enumerable.Range(0, 120)
            .Select(i => ($"vm-{i}", vmFolders[random.Next(vmFolders.Count)], (InventoryId?)hosts[i % hosts.Count], VmPowerState.PoweredOff)).ToList());
        return (objects, vms);
    }

    /// <summary>One event per object, one Center-level event, one about a VM that no longer exists.</summary>
    private async Task SeedEventsAsync(List<InventoryId> objects, List<VmRecord> vms)
    {
        await using var db = Factory.CreateDbContext();
        foreach (var id in objects.Concat(vms.Select(v => v.Id)).Append(InventoryId.RootFolder).Append(new InventoryId("vm-999999")))
        {
            db.Events.Add(new EventRecord { Time = Time.GetUtcNow(), Type = "test.event", ObjectId = id, Message = "m" });
        }

        db.Events.Add(new EventRecord { Time = Time.GetUtcNow(), Type = "test.center", Message = "center-level" });
        await db.SaveChangesAsync(Ct);
    }
}
