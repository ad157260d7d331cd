using Hyperion.Center.Events;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Center.Tags;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tests.Tags;

/// <summary>Tags and their assignments: privileges, validation, events, listing by object.</summary>
public abstract class TagServiceTests : CenterDatabaseTests
{
    private InventoryId _datacenter;
    private InventoryId _vm;
    private InventoryId _otherVm;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Factory.CreateDbContext();
        var (datacenter, _, folder) = await AddDatacenterAsync(db, "dc");
        _datacenter = datacenter;
        var vms = await SeedVmsAsync(db, [("web", folder, null, VmPowerState.PoweredOff), ("db", folder, null, VmPowerState.PoweredOff)]);
        (_vm, _otherVm) = (vms[0].Id, vms[1].Id);
    }

    [Fact]
    public async Task CreateAsync_Admin_ListedByCategoryThenNameAndEventRecorded()
    {
        await CreateAsync(Admin, "env", "prod");
        await CreateAsync(Admin, "env", "dev", "development");
        var owner = await CreateAsync(Admin, "owner", "alice");

        var all = await WithServiceAsync(s => s.ListAsync(Admin, null, null, PageRequest.First, Ct));
        var env = await WithServiceAsync(s => s.ListAsync(Admin, null, "env", new PageRequest(1, null), Ct));
        var second = await WithServiceAsync(s => s.ListAsync(Admin, null, "env", new PageRequest(1, env.Next), Ct));

        Assert.Equal(["env/dev", "env/prod", "owner/alice"], all.Items.Select(t => $"{t.Category}/{t.Name}"));
        Assert.Equal("development", all.Items[0].Description);
        Assert.Matches("^tag-[0-9]+$", owner.Id);
        Assert.Equal(owner, await WithServiceAsync(s => s.GetAsync(Admin, owner.Id, Ct)));
        Assert.Equal(2, env.Total);
        Assert.Equal("dev", Assert.Single(env.Items).Name);
        Assert.Equal("prod", Assert.Single(second.Items).Name);
        Assert.Null(second.Next);
        Assert.Equal(3, (await EventsAsync(CenterEventTypes.TagCreated)).Count);
    }

    [Fact]
    public async Task CreateAsync_DuplicateOrBadName_RefusedAndNothingWritten()
    {
        await CreateAsync(Admin, "env", "prod");

        var duplicate = await Assert.ThrowsAsync<DomainException>(() => CreateAsync(Admin, "env", "prod"));
        var slash = await Assert.ThrowsAsync<DomainException>(() => CreateAsync(Admin, "env", "a/b"));
        var noCategory = await Assert.ThrowsAsync<DomainException>(() => CreateAsync(Admin, "", "x"));

        Assert.Equal(ErrorCodes.InventoryDuplicateName, duplicate.Code);
        Assert.Equal(ErrorCodes.InventoryInvalidName, slash.Code);
        Assert.Equal("category", noCategory.Errors[0].Field);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Tags.CountAsync(Ct));
        Assert.Single(await EventsAsync(CenterEventTypes.TagCreated));
    }

    [Fact]
    public async Task CreateAsync_ReadOnlyUser_Forbidden()
    {
        var reader = await AddUserAsync("reader");
        await GrantAsync(reader, BuiltInRoles.ReadOnlyName, InventoryId.RootFolder);

        var ex = await Assert.ThrowsAsync<DomainException>(() => CreateAsync(reader, "env", "prod"));

        Assert.Equal(ErrorCodes.Forbidden, ex.Code);
        Assert.Empty((await WithServiceAsync(s => s.ListAsync(reader, null, null, PageRequest.First, Ct))).Items);
    }

    [Fact]
    public async Task AssignAsync_ToVm_ListedByObjectIdempotentAndDetachable()
    {
        var prod = await CreateAsync(Admin, "env", "prod");
        var web = await CreateAsync(Admin, "role", "web");

        await WithServiceAsync(async s => { await s.AssignAsync(Admin, prod.Id, new TagAssignmentRequest(_vm.Value), Ct); return 0; });
        await WithServiceAsync(async s => { await s.AssignAsync(Admin, prod.Id, new TagAssignmentRequest(_vm.Value), Ct); return 0; });
        await WithServiceAsync(async s => { await s.AssignAsync(Admin, web.Id, new TagAssignmentRequest(_vm.Value), Ct); return 0; });
        await WithServiceAsync(async s => { await s.AssignAsync(Admin, web.Id, new TagAssignmentRequest(_datacenter.Value), Ct); return 0; });
        var onVm = await WithServiceAsync(s => s.ListAsync(Admin, _vm.Value, null, PageRequest.First, Ct));
        var onOther = await WithServiceAsync(s => s.ListAsync(Admin, _otherVm.Value, null, PageRequest.First, Ct));
        await WithServiceAsync(async s => { await s.UnassignAsync(Admin, prod.Id, _vm.Value, Ct); return 0; });
        var again = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(async s => { await s.UnassignAsync(Admin, prod.Id, _vm.Value, Ct); return 0; }));
        var after = await WithServiceAsync(s => s.ListAsync(Admin, _vm.Value, null, PageRequest.First, Ct));

        Assert.Equal([prod.Id, web.Id], onVm.Items.Select(t => t.Id));
        Assert.Empty(onOther.Items);
        Assert.Equal(ErrorCodes.InventoryNotFound, again.Code);
        Assert.Equal([web.Id], after.Items.Select(t => t.Id));
        var assigned = await EventsAsync(CenterEventTypes.TagAssigned);
        Assert.Equal(3, assigned.Count);
        Assert.Contains(assigned, e => e.ObjectId == _vm.Value && e.ObjectName == "web");
        Assert.Single(await EventsAsync(CenterEventTypes.TagUnassigned));
    }

    [Fact]
    public async Task AssignAsync_VmOperator_ForbiddenAndUnknownObjectNotFound()
    {
        var prod = await CreateAsync(Admin, "env", "prod");
        var operatorUser = await AddUserAsync("op");
        await GrantAsync(operatorUser, BuiltInRoles.VmOperatorName, InventoryId.RootFolder);

        var forbidden = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(async s => { await s.AssignAsync(operatorUser, prod.Id, new TagAssignmentRequest(_vm.Value), Ct); return 0; }));
        var missing = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(async s => { await s.AssignAsync(Admin, prod.Id, new TagAssignmentRequest("vm-999999"), Ct); return 0; }));
        var malformed = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(async s => { await s.AssignAsync(Admin, prod.Id, new TagAssignmentRequest("web"), Ct); return 0; }));
        var noTag = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(async s => { await s.AssignAsync(Admin, "tag-999999", new TagAssignmentRequest(_vm.Value), Ct); return 0; }));

        Assert.Equal(ErrorCodes.Forbidden, forbidden.Code);
        Assert.Equal(ErrorCodes.InventoryNotFound, missing.Code);
        Assert.Equal(ErrorCodes.InvalidArgument, malformed.Code);
        Assert.Equal(ErrorCodes.InventoryNotFound, noTag.Code);
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.TagAssignments.AnyAsync(Ct));
    }

    [Fact]
    public async Task DeleteAsync_TagWithAssignments_RemovesBoth()
    {
        var prod = await CreateAsync(Admin, "env", "prod");
        await WithServiceAsync(async s => { await s.AssignAsync(Admin, prod.Id, new TagAssignmentRequest(_vm.Value), Ct); return 0; });

        await WithServiceAsync(async s => { await s.DeleteAsync(Admin, prod.Id, Ct); return 0; });

        var gone = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(s => s.GetAsync(Admin, prod.Id, Ct)));
        Assert.Equal(ErrorCodes.InventoryNotFound, gone.Code);
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.TagAssignments.AnyAsync(Ct));
        Assert.Single(await EventsAsync(CenterEventTypes.TagDeleted));
    }

    private Task<TagDto> CreateAsync(AuthenticatedUser user, string category, string name, string? description = null) =>
        WithServiceAsync(s => s.CreateAsync(user, new TagCreateRequest(category, name, description), Ct));

    private Task<T> WithServiceAsync<T>(Func<TagService, Task<T>> action) =>
        InRequestAsync((db, access) => action(new TagService(db, access, Time)));

    private async Task<IReadOnlyList<CenterEventDto>> EventsAsync(string type) =>
        (await InRequestAsync((db, access) => new EventQueries(db, access).ListAsync(Admin, new EventListFilter(Type: type), PageRequest.First, Ct))).Items;
}
