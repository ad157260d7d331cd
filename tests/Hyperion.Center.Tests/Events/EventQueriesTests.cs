using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tests.Events;

/// <summary>Events written with the changes they describe, and read back newest first, filtered and by visibility.</summary>
public abstract class EventQueriesTests : CenterDatabaseTests
{
    [Fact]
    public async Task InventoryService_Creations_RecordEventWithTheChange()
    {
        var datacenter = await InRequestAsync((db, access) => new InventoryService(db, access, Time).CreateDatacenterAsync(Admin, new DatacenterCreateRequest("dc1"), Ct));
        var cluster = await InRequestAsync((db, access) => new InventoryService(db, access, Time).CreateClusterAsync(Admin, new ClusterCreateRequest("c1", "dc1"), Ct));
        var folder = await InRequestAsync((db, access) => new InventoryService(db, access, Time).CreateFolderAsync(Admin, new FolderCreateRequest("web", datacenter.VmFolderId), Ct));
        await Assert.ThrowsAsync<DomainException>(() => InRequestAsync((db, access) => new InventoryService(db, access, Time).CreateDatacenterAsync(Admin, new DatacenterCreateRequest("dc1"), Ct)));
        await Assert.ThrowsAsync<DomainException>(() => InRequestAsync((db, access) => new InventoryService(db, access, Time).CreateFolderAsync(Admin, new FolderCreateRequest("web", datacenter.VmFolderId), Ct)));

        var events = (await ListAsync(Admin, new EventListFilter())).Items;

        Assert.Equal(
            [(CenterEventTypes.FolderCreated, folder.Id, "web"), (CenterEventTypes.ClusterCreated, cluster.Id, "c1"), (CenterEventTypes.DatacenterCreated, datacenter.Id, "dc1")],
            events.Select(e => (e.Type, e.ObjectId!, e.ObjectName!)));
        Assert.All(events, e => Assert.Equal(Admin.Name, e.User));
        Assert.All(events, e => Assert.Equal(Time.GetUtcNow(), e.Time));
        Assert.Equal("vm", folder.Kind);
        Assert.Equal(datacenter.VmFolderId, folder.ParentId);
    }

    [Fact]
    public async Task UserAndPermissionServices_RecordEvents()
    {
        await InRequestAsync((db, access) => new UserService(db, access, Time).CreateAsync(Admin, new UserCreateRequest("alice", "alice-password"), Ct));
        await InRequestAsync((db, access) => new PermissionService(db, access, Time).SetAsync(Admin, new PermissionCreateRequest("alice", BuiltInRoles.ReadOnlyName, InventoryId.RootFolder.Value), Ct));
        await Assert.ThrowsAsync<DomainException>(() => InRequestAsync((db, access) => new UserService(db, access, Time).CreateAsync(Admin, new UserCreateRequest("alice", "alice-password"), Ct)));

        var events = (await ListAsync(Admin, new EventListFilter())).Items;

        Assert.Equal([CenterEventTypes.PermissionChanged, CenterEventTypes.UserCreated], events.Select(e => e.Type));
        Assert.Equal(InventoryId.RootFolder.Value, events[0].ObjectId);
        Assert.Equal("Datacenters", events[0].ObjectName);
        Assert.Contains("alice", events[0].Message, StringComparison.Ordinal);
        Assert.Null(events[1].ObjectId);
    }

    [Fact]
    public async Task ListAsync_ManyEvents_NewestFirstPagesAndFilters()
    {
        InventoryId vm;
        await using (var db = Factory.CreateDbContext())
        {
            var (dc, _, vmFolder) = await AddDatacenterAsync(db, "dc");
            vm = (await SeedVmsAsync(db, [("web", vmFolder, null, VmPowerState.PoweredOff)]))[0].Id;
            for (var i = 0; i < 45; i++)
            {
                var (type, target, name) = (i % 3) switch
                {
                    0 => ("vm.powered-on", (InventoryId?)vm, "web"),
                    1 => ("vm.powered-off", vm, "web"),
                    _ => ("datacenter.created", dc, "dc"),
                };
                db.Events.Add(new EventRecord
                {
                    Time = Time.GetUtcNow().AddMinutes(i),
                    Type = type,
                    ObjectId = target,
                    ObjectName = name,
                    UserName = i % 2 == 0 ? "alice" : "bob",
                    Message = $"event {i}",
                });
            }

            await db.SaveChangesAsync(Ct);
        }

        var all = await WalkAsync(Admin, new EventListFilter(), 10);
        var byPrefix = await WalkAsync(Admin, new EventListFilter(Type: "vm."), 10);
        var byStar = await WalkAsync(Admin, new EventListFilter(Type: "vm.powered-o*"), 10);
        var exact = await WalkAsync(Admin, new EventListFilter(Type: "vm.powered-on"), 10);
        var byObjectId = await WalkAsync(Admin, new EventListFilter(Object: vm.Value), 10);
        var byObjectName = await WalkAsync(Admin, new EventListFilter(Object: "dc"), 10);
        var byUser = await WalkAsync(Admin, new EventListFilter(User: "bob"), 10);
        var window = await WalkAsync(Admin, new EventListFilter(From: Time.GetUtcNow().AddMinutes(10).ToString("O"), To: "2026-11-23T10:20:00Z"), 10);

        Assert.Equal(45, all.Count);
        Assert.Equal(all.Select(e => e.Id).OrderDescending(), all.Select(e => e.Id));
        Assert.Equal(30, byPrefix.Count);
        Assert.Equal(byPrefix, byStar);
        Assert.Equal(15, exact.Count);
        Assert.All(exact, e => Assert.Equal("vm.powered-on", e.Type));
        Assert.Equal(30, byObjectId.Count);
        Assert.Equal(15, byObjectName.Count);
        Assert.Equal(22, byUser.Count);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"event {i}").Reverse(), window.Select(e => e.Message));
    }

    [Fact]
    public async Task ListAsync_ReadOnlyOnOneDatacenter_SeesItsEventsOnly()
    {
        InventoryId dcA, dcB, vmA, vmB;
        await using (var db = Factory.CreateDbContext())
        {
            (dcA, _, var folderA) = await AddDatacenterAsync(db, "a");
            (dcB, _, var folderB) = await AddDatacenterAsync(db, "b");
            var vms = await SeedVmsAsync(db, [("va", folderA, null, VmPowerState.PoweredOff), ("vb", folderB, null, VmPowerState.PoweredOff)]);
            (vmA, vmB) = (vms[0].Id, vms[1].Id);
            foreach (var target in new InventoryId?[] { dcA, dcB, vmA, vmB, null, new InventoryId("vm-999999") })
            {
                db.Events.Add(new EventRecord { Time = Time.GetUtcNow(), Type = "test.event", ObjectId = target, Message = target?.Value ?? "center" });
            }

            await db.SaveChangesAsync(Ct);
        }

        var reader = await AddUserAsync("reader");
        await GrantAsync(reader, BuiltInRoles.ReadOnlyName, dcA);

        var seen = await WalkAsync(reader, new EventListFilter(Type: "test.event"), 100);
        var admin = await WalkAsync(Admin, new EventListFilter(Type: "test.event"), 100);
        var hidden = admin.Single(e => e.ObjectId == vmB.Value);
        var ex = await Assert.ThrowsAsync<DomainException>(() => InRequestAsync((db, access) => new EventQueries(db, access).GetAsync(reader, hidden.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));

        Assert.Equal([vmA.Value, dcA.Value], seen.Select(e => e.ObjectId));
        Assert.Equal(6, admin.Count);
        Assert.Equal(ErrorCodes.InventoryNotFound, ex.Code);
        Assert.Equal(seen[0], await InRequestAsync((db, access) => new EventQueries(db, access).GetAsync(reader, seen[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));
    }

    [Theory]
    [InlineData("from", "yesterday")]
    [InlineData("to", "2026-13-01")]
    [InlineData("type", "")]
    public async Task ListAsync_BadFilter_InvalidArgument(string field, string value)
    {
        var filter = field switch
        {
            "from" => new EventListFilter(From: value),
            "to" => new EventListFilter(To: value),
            _ => new EventListFilter(Type: value),
        };

        var ex = await Assert.ThrowsAsync<DomainException>(() => ListAsync(Admin, filter));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Equal(field, ex.Errors[0].Field);
    }

    private Task<PageDto<CenterEventDto>> ListAsync(AuthenticatedUser user, EventListFilter filter, PageRequest? page = null) =>
        InRequestAsync((db, access) => new EventQueries(db, access).ListAsync(user, filter, page ?? PageRequest.First, Ct));

    private async Task<List<CenterEventDto>> WalkAsync(AuthenticatedUser user, EventListFilter filter, int limit)
    {
        var items = new List<CenterEventDto>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(user, filter, new PageRequest(limit, cursor));
            Assert.True(page.Items.Count <= limit);
            items.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return items;
    }
}
