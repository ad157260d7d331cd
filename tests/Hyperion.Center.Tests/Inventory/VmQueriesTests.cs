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

namespace Hyperion.Center.Tests.Inventory;

/// <summary>
/// The VM list's contract on each provider: keyset pages over 10,000 VM rows are complete, in order and without
/// repeats; filters and visibility are applied before paging. (Timing belongs to bench/Hyperion.Bench.Center.)
/// </summary>
public abstract class VmQueriesTests : CenterDatabaseTests
{
    private const int Count = 10_000;

    private InventoryId _folderA;
    private InventoryId _folderB;
    private InventoryId _folderB2;
    private InventoryId _host1;
    private InventoryId _host2;
    private List<VmRecord> _vms = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Factory.CreateDbContext();
        var (_, hostFolder, vmFolder) = await AddDatacenterAsync(db, "dc");
        _folderA = await AddFolderAsync(db, "a", vmFolder);
        _folderB = await AddFolderAsync(db, "b", vmFolder);
        _folderB2 = await AddFolderAsync(db, "b2", _folderB);
        var cluster = await AddClusterAsync(db, "c1", hostFolder);
        _host1 = await AddHostAsync(db, "10.0.0.1", cluster);
        _host2 = await AddHostAsync(db, "10.0.0.2", hostFolder);

        // Every name twice (once in A, once under B), so the id breaks ties; the case varies to test the name filter.
        _vms = await SeedVmsAsync(db, Enumerable.Range(0, Count).Select(i => (
            Name: $"{(i % 7 == 0 ? "Web" : "web")}-{i % (Count / 2):D4}",
            Folder: i < Count / 2 ? _folderA : (i % 2 == 0 ? _folderB : _folderB2),
            Host: (InventoryId?)(i % 2 == 0 ? _host1 : _host2),
            State: (VmPowerState)(i % 3))).ToList());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(333)]
    public async Task ListAsync_TenThousandVms_PagesCoverAllInOrder(int limit)
    {
        var pages = await WalkAsync(Admin, new VmListFilter(), limit);

        Assert.Equal((Count + limit - 1) / limit, pages.Count);
        Assert.All(pages, p => Assert.Equal(Count, p.Total));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(limit, p.Items.Count));
        Assert.Null(pages[^1].Next);
        Assert.Equal(ExpectedOrder(_vms), pages.SelectMany(p => p.Items).Select(v => v.Id));
    }

    [Fact]
    public async Task ListAsync_Filters_AppliedBeforePaging()
    {
        var byName = await AllAsync(Admin, new VmListFilter(Name: "WEB-000"));
        var byState = await AllAsync(Admin, new VmListFilter(PowerState: "suspended"));
        var underB = await AllAsync(Admin, new VmListFilter(Folder: _folderB.Value));
        var onlyB2 = await AllAsync(Admin, new VmListFilter(Folder: _folderB2.Value, PowerState: "poweredOn"));
        var onHost = await AllAsync(Admin, new VmListFilter(Host: _host2.Value));
        var onAddress = await AllAsync(Admin, new VmListFilter(Host: "https://10.0.0.1:8443"));
        var unknownHost = await AllAsync(Admin, new VmListFilter(Host: "10.9.9.9"));

        Assert.Equal(ExpectedOrder(_vms.Where(v => v.Name.ToLowerInvariant().Contains("web-000", StringComparison.Ordinal))), byName);
        Assert.Equal(20, byName.Count);
        Assert.Equal(ExpectedOrder(_vms.Where(v => v.PowerState == VmPowerState.Suspended)), byState);
        Assert.Equal(ExpectedOrder(_vms.Where(v => v.FolderId == _folderB || v.FolderId == _folderB2)), underB);
        Assert.Equal(ExpectedOrder(_vms.Where(v => v.FolderId == _folderB2 && v.PowerState == VmPowerState.PoweredOn)), onlyB2);
        Assert.Equal(ExpectedOrder(_vms.Where(v => v.HostId == _host2)), onHost);
        Assert.Equal(ExpectedOrder(_vms.Where(v => v.HostId == _host1)), onAddress);
        Assert.Empty(unknownHost);
    }

    [Fact]
    public async Task ListAsync_TagFilter_OnlyTaggedVms()
    {
        await using (var db = Factory.CreateDbContext())
        {
            var tag = new TagRecord { Category = "env", Name = "prod" };
            db.Tags.Add(tag);
            await db.SaveChangesAsync(Ct);
            db.TagAssignments.AddRange(_vms.Where((_, i) => i % 1000 == 1).Select(v => new TagAssignmentRecord { TagId = tag.Id, ObjectId = v.Id }));
            db.TagAssignments.Add(new TagAssignmentRecord { TagId = tag.Id, ObjectId = _host1 });
            await db.SaveChangesAsync(Ct);
        }

        var expected = ExpectedOrder(_vms.Where((_, i) => i % 1000 == 1));

        Assert.Equal(expected, await AllAsync(Admin, new VmListFilter(Tag: "env/prod")));
        Assert.Equal(expected, await AllAsync(Admin, new VmListFilter(Tag: "prod")));
        Assert.Empty(await AllAsync(Admin, new VmListFilter(Tag: "env/none")));
    }

    [Fact]
    public async Task ListAsync_ReadOnlyOnOneFolder_PagesOverVisibleVmsOnly()
    {
        var reader = await AddUserAsync("reader");
        await GrantAsync(reader, BuiltInRoles.ReadOnlyName, _folderB);
        await GrantAsync(reader, BuiltInRoles.NoAccessName, _folderB2);
        var single = _vms.First(v => v.FolderId == _folderA);
        var hidden = _vms.First(v => v.FolderId == _folderB);
        await GrantAsync(reader, BuiltInRoles.ReadOnlyName, single.Id, propagate: false);
        await GrantAsync(reader, BuiltInRoles.NoAccessName, hidden.Id, propagate: false);

        var pages = await WalkAsync(reader, new VmListFilter(), 250);

        var expected = ExpectedOrder(_vms.Where(v => (v.FolderId == _folderB && v.Id != hidden.Id) || v.Id == single.Id));
        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(v => v.Id));
        Assert.All(pages, p => Assert.Equal(expected.Count, p.Total));
    }

    [Fact]
    public async Task ListAsync_UserWithoutPermission_EmptyPage()
    {
        var nobody = await AddUserAsync("nobody");

        var page = await InRequestAsync((db, access) => new VmQueries(db, access).ListAsync(nobody, new VmListFilter(), PageRequest.First, Ct));

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        Assert.Null(page.Next);
    }

    [Theory]
    [InlineData("powerState", "running")]
    [InlineData("powerState", "1")]
    [InlineData("folder", "vm-3")]
    [InlineData("host", "group-3")]
    [InlineData("cursor", "not-a-cursor")]
    [InlineData("cursor", "WyJhIl0")]
    public async Task ListAsync_BadArgument_InvalidArgument(string field, string value)
    {
        var filter = field switch
        {
            "powerState" => new VmListFilter(PowerState: value),
            "folder" => new VmListFilter(Folder: value),
            "host" => new VmListFilter(Host: value),
            _ => new VmListFilter(),
        };
        var page = new PageRequest(10, field == "cursor" ? value : null);

        var ex = await Assert.ThrowsAsync<DomainException>(() => InRequestAsync((db, access) => new VmQueries(db, access).ListAsync(Admin, filter, page, Ct)));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Equal(field, ex.Errors[0].Field);
    }

    private static List<string> ExpectedOrder(IEnumerable<VmRecord> vms) =>
        vms.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Id.Value, StringComparer.Ordinal).Select(v => v.Id.Value).ToList();

    private async Task<List<PageDto<CenterVmDto>>> WalkAsync(AuthenticatedUser user, VmListFilter filter, int limit)
    {
        var pages = new List<PageDto<CenterVmDto>>();
        string? cursor = null;
        do
        {
            var page = await InRequestAsync((db, access) => new VmQueries(db, access).ListAsync(user, filter, new PageRequest(limit, cursor), Ct));
            pages.Add(page);
            cursor = page.Next;
            Assert.True(pages.Count <= Count + 1, "paging does not end");
        }
        while (cursor is not null);
        return pages;
    }

    private async Task<List<string>> AllAsync(AuthenticatedUser user, VmListFilter filter)
    {
        var pages = await WalkAsync(user, filter, 97);
        var items = pages.SelectMany(p => p.Items).Select(v => v.Id).ToList();
        Assert.All(pages, p => Assert.Equal(items.Count, p.Total));
        return items;
    }
}
