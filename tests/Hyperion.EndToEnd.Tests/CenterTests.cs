using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The Center's first slice through its real executable: sessions, datacenters, clusters, users, permissions, durability.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterTests(CenterTests.Fixture fixture) : IClassFixture<CenterTests.Fixture>
{
    private CenterProcess Center => fixture.Center;

    [Fact]
    public async Task CreateSession_BasicCredentials_TokenAuthenticatesLaterCalls()
    {
        using var basic = Center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);

        var session = (await basic.SendAsync(HttpMethod.Post, "/api/session")).As<SessionDto>(HttpStatusCode.Created);

        Assert.Equal(CenterProcess.AdminUser, session.User);
        Assert.Equal(43, session.Token.Length); // 32 bytes, base64url without padding
        Assert.True(session.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(25), $"expires at {session.ExpiresAt}");
        using var bearer = Center.BearerClient(session.Token);
        (await bearer.SendAsync(HttpMethod.Get, "/api/datacenters")).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteSession_LoggedOut_TokenRejected()
    {
        using var bearer = await fixture.AdminAsync();
        (await bearer.SendAsync(HttpMethod.Delete, "/api/session")).EnsureStatus(HttpStatusCode.NoContent);

        var result = await bearer.SendAsync(HttpMethod.Get, "/api/datacenters");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("auth.unauthorized", result.Problem().Code);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(CenterProcess.AdminUser, "wrong-password")]
    [InlineData("nobody", CenterProcess.AdminPassword)]
    public async Task Calls_NoOrBadCredentials_Unauthorized(string? user, string? password)
    {
        using var client = Center.Client(user, password);

        var login = await client.SendAsync(HttpMethod.Post, "/api/session");
        var list = await client.SendAsync(HttpMethod.Get, "/api/datacenters");

        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
        Assert.Equal("auth.unauthorized", login.Problem().Code);
        Assert.Equal(HttpStatusCode.Unauthorized, list.Status);
        Assert.Equal("auth.unauthorized", list.Problem().Code);
    }

    [Fact]
    public async Task Calls_BogusBearerToken_Unauthorized()
    {
        using var client = Center.BearerClient("not-a-session");

        var result = await client.SendAsync(HttpMethod.Get, "/api/clusters");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("auth.unauthorized", result.Problem().Code);
    }

    [Fact]
    public async Task CreateDatacenter_NewName_CreatedWithIdAndRootFolders()
    {
        using var admin = await fixture.AdminAsync();
        var name = Unique("dc");

        var created = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name))).As<DatacenterDto>(HttpStatusCode.Created);

        Assert.Matches("^datacenter-[0-9]+$", created.Id);
        Assert.Equal(name, created.Name);
        Assert.Equal("group-1", created.ParentFolderId);
        Assert.Contains((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items, d => d.Id == created.Id && d.Name == name);
        var folders = (await admin.SendAsync(HttpMethod.Get, $"/api/folders?parent={created.Id}")).As<PageDto<FolderDto>>().Items;
        Assert.Equal(["host", "vm"], folders.Select(f => f.Kind).Order(StringComparer.Ordinal));
        Assert.Contains(folders, f => f.Id == created.HostFolderId && f.Name == "host");
    }

    [Fact]
    public async Task CreateDatacenter_DuplicateName_ConflictAndOnlyOne()
    {
        using var admin = await fixture.AdminAsync();
        var name = Unique("dc");
        (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name))).EnsureStatus(HttpStatusCode.Created);

        var again = await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("inventory.duplicate-name", again.Problem().Code);
        Assert.Single((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items, d => d.Name == name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("a/b")]
    public async Task CreateDatacenter_BadName_UnprocessableAndNothingCreated(string name)
    {
        using var admin = await fixture.AdminAsync();
        var before = (await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items.Count;

        var result = await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Equal("inventory.invalid-name", result.Problem().Code);
        Assert.Equal(before, (await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items.Count);
    }

    [Fact]
    public async Task CreateCluster_InDatacenter_CreatedInHostFolderAndListed()
    {
        using var admin = await fixture.AdminAsync();
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Unique("dc")))).As<DatacenterDto>(HttpStatusCode.Created);
        var name = Unique("cluster");

        var cluster = (await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(name, datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);

        Assert.Matches("^domain-c[0-9]+$", cluster.Id);
        Assert.Equal(datacenter.HostFolderId, cluster.FolderId);
        Assert.Equal(datacenter.Id, cluster.DatacenterId);
        Assert.Contains((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<PageDto<ClusterDto>>().Items, c => c.Id == cluster.Id && c.Name == name);
        var duplicate = await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(name, datacenter.Name));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("inventory.duplicate-name", duplicate.Problem().Code);
    }

    [Fact]
    public async Task CreateCluster_UnknownDatacenter_NotFound()
    {
        using var admin = await fixture.AdminAsync();
        var name = Unique("cluster");

        var result = await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(name, "datacenter-999999"));

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal("inventory.not-found", result.Problem().Code);
        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<PageDto<ClusterDto>>().Items, c => c.Name == name);
    }

    [Fact]
    public async Task ReadOnlyUser_ListsButCannotCreate_ForbiddenAndNothingCreated()
    {
        using var admin = await fixture.AdminAsync();
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Unique("dc")))).As<DatacenterDto>(HttpStatusCode.Created);
        var user = Unique("reader");
        (await admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest(user, "reader-password"))).EnsureStatus(HttpStatusCode.Created);
        (await admin.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(user, "Read-only", "group-1", Propagate: true))).EnsureStatus(HttpStatusCode.Created);
        using var reader = Center.Client(user, "reader-password");
        var dcName = Unique("dc");
        var clusterName = Unique("cluster");

        var list = await reader.SendAsync(HttpMethod.Get, "/api/datacenters");
        var createDatacenter = await reader.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(dcName));
        var createCluster = await reader.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(clusterName, datacenter.Id));
        var createUser = await reader.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest(Unique("evil"), "evil-password"));
        var grantSelf = await reader.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(user, "Administrator", "group-1", Propagate: true));

        Assert.Contains(list.As<PageDto<DatacenterDto>>().Items, d => d.Id == datacenter.Id);
        foreach (var refused in new[] { createDatacenter, createCluster, createUser, grantSelf })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Equal("auth.forbidden", refused.Problem().Code);
        }

        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items, d => d.Name == dcName);
        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<PageDto<ClusterDto>>().Items, c => c.Name == clusterName);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(dcName))).Status);
    }

    [Fact]
    public async Task UserWithoutPermission_ListsNothing()
    {
        using var admin = await fixture.AdminAsync();
        (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Unique("dc")))).EnsureStatus(HttpStatusCode.Created);
        var user = Unique("nobody");
        (await admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest(user, "nobody-password"))).EnsureStatus(HttpStatusCode.Created);
        using var client = Center.Client(user, "nobody-password");

        var list = (await client.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items;

        Assert.Empty(list);
    }

    [Fact]
    public async Task Restart_AfterKill9_DatacenterAndSessionSurvive()
    {
        await using var center = await CenterProcess.StartAsync();
        string token;
        DatacenterDto datacenter;
        using (var basic = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword))
        {
            token = (await basic.SendAsync(HttpMethod.Post, "/api/session")).As<SessionDto>(HttpStatusCode.Created).Token;
            using var admin = center.BearerClient(token);
            datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("durable"))).As<DatacenterDto>(HttpStatusCode.Created);
        }

        await center.KillAsync();
        await center.RestartAsync();

        using var after = center.BearerClient(token);
        var datacenters = (await after.SendAsync(HttpMethod.Get, "/api/datacenters")).As<PageDto<DatacenterDto>>().Items;
        Assert.Equal(datacenter, Assert.Single(datacenters));
        Assert.DoesNotContain("password (generated", center.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/vms?limit=0")]
    [InlineData("/api/datacenters?limit=abc")]
    [InlineData("/api/hosts?limit=1001")]
    [InlineData("/api/events?cursor=not-a-cursor")]
    [InlineData("/api/clusters?cursor=WyJhIl0")]
    [InlineData("/api/vms?powerState=running")]
    [InlineData("/api/events?from=yesterday")]
    public async Task Lists_BadPagingOrFilter_BadRequestProblem(string path)
    {
        using var admin = await fixture.AdminAsync();

        var result = await admin.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("request.invalid", result.Problem().Code);
    }

    [Fact]
    public async Task ListDatacenters_LimitOne_CursorWalksEveryMatchOnce()
    {
        using var admin = await fixture.AdminAsync();
        var prefix = Unique("walk");
        var names = new[] { $"{prefix}-c", $"{prefix}-a", $"{prefix}-b" };
        foreach (var name in names)
        {
            (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name))).EnsureStatus(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        var path = $"/api/datacenters?name={prefix.ToUpperInvariant()}&limit=1";
        PageDto<DatacenterDto> page;
        do
        {
            page = (await admin.SendAsync(HttpMethod.Get, path)).As<PageDto<DatacenterDto>>();
            Assert.Equal(3, page.Total);
            seen.AddRange(page.Items.Select(d => d.Name));
            path = $"/api/datacenters?name={prefix}&limit=1&cursor={Uri.EscapeDataString(page.Next ?? string.Empty)}";
        }
        while (page.Next is not null);

        Assert.Equal(names.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Events_DatacenterAndFolderCreated_ListedNewestFirstAndFetchedById()
    {
        using var admin = await fixture.AdminAsync();
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Unique("dc")))).As<DatacenterDto>(HttpStatusCode.Created);
        var folder = (await admin.SendAsync(HttpMethod.Post, "/api/folders", new FolderCreateRequest("web", datacenter.VmFolderId))).As<FolderDto>(HttpStatusCode.Created);

        var byDatacenter = (await admin.SendAsync(HttpMethod.Get, $"/api/events?object={datacenter.Id}")).As<PageDto<CenterEventDto>>();
        var folders = (await admin.SendAsync(HttpMethod.Get, "/api/events?type=folder.&limit=1")).As<PageDto<CenterEventDto>>();
        var one = (await admin.SendAsync(HttpMethod.Get, $"/api/events/{folders.Items[0].Id}")).As<CenterEventDto>();
        var missing = await admin.SendAsync(HttpMethod.Get, "/api/events/999999999");

        var created = Assert.Single(byDatacenter.Items);
        Assert.Equal("datacenter.created", created.Type);
        Assert.Equal(CenterProcess.AdminUser, created.User);
        Assert.Equal(folder.Id, folders.Items[0].ObjectId);
        Assert.Equal(folders.Items[0], one);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(["host", "vm", "web"], (await admin.SendAsync(HttpMethod.Get, $"/api/folders?parent={datacenter.Id}")).As<PageDto<FolderDto>>().Items
            .Select(f => f.Name).Concat((await admin.SendAsync(HttpMethod.Get, $"/api/folders?parent={datacenter.VmFolderId}")).As<PageDto<FolderDto>>().Items.Select(f => f.Name)));
    }

    [Fact]
    public async Task Tags_CreateAttachListDetachDelete()
    {
        using var admin = await fixture.AdminAsync();
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Unique("dc")))).As<DatacenterDto>(HttpStatusCode.Created);
        var category = Unique("env");
        var tag = (await admin.SendAsync(HttpMethod.Post, "/api/tags", new TagCreateRequest(category, "prod", "production"))).As<TagDto>(HttpStatusCode.Created);

        (await admin.SendAsync(HttpMethod.Post, $"/api/tags/{tag.Id}/assignments", new TagAssignmentRequest(datacenter.Id))).EnsureStatus(HttpStatusCode.NoContent);
        var onDatacenter = (await admin.SendAsync(HttpMethod.Get, $"/api/tags?object={datacenter.Id}")).As<PageDto<TagDto>>();
        var duplicate = await admin.SendAsync(HttpMethod.Post, "/api/tags", new TagCreateRequest(category, "prod"));
        (await admin.SendAsync(HttpMethod.Delete, $"/api/tags/{tag.Id}/assignments/{datacenter.Id}")).EnsureStatus(HttpStatusCode.NoContent);
        var afterDetach = (await admin.SendAsync(HttpMethod.Get, $"/api/tags?object={datacenter.Id}")).As<PageDto<TagDto>>();
        (await admin.SendAsync(HttpMethod.Delete, $"/api/tags/{tag.Id}")).EnsureStatus(HttpStatusCode.NoContent);

        Assert.Equal(tag, Assert.Single(onDatacenter.Items));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Empty(afterDetach.Items);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, $"/api/tags/{tag.Id}")).Status);
        var events = (await admin.SendAsync(HttpMethod.Get, $"/api/events?object={datacenter.Id}&type=tag.")).As<PageDto<CenterEventDto>>();
        Assert.Equal(["tag.unassigned", "tag.assigned"], events.Items.Select(e => e.Type));
    }

    [Fact]
    public async Task UsersAndPermissions_Listed()
    {
        using var admin = await fixture.AdminAsync();
        var user = Unique("lister");
        (await admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest(user, "lister-password"))).EnsureStatus(HttpStatusCode.Created);
        (await admin.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(user, "Read-only", "group-1", Propagate: true))).EnsureStatus(HttpStatusCode.Created);

        var users = (await admin.SendAsync(HttpMethod.Get, $"/api/users?name={user}")).As<PageDto<UserDto>>();
        var permissions = (await admin.SendAsync(HttpMethod.Get, $"/api/permissions?user={user}")).As<PageDto<PermissionDto>>();
        using var lister = Center.Client(user, "lister-password");
        var ownView = (await lister.SendAsync(HttpMethod.Get, "/api/permissions?object=group-1")).As<PageDto<PermissionDto>>();

        Assert.Equal(user, Assert.Single(users.Items).Name);
        Assert.Equal(new PermissionDto(user, "Read-only", "group-1", true), Assert.Single(permissions.Items));
        Assert.Contains(ownView.Items, p => p.User == CenterProcess.AdminUser && p.Role == "Administrator");
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>One Center per test class; tests use unique names so they share it.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public CenterProcess Center { get; private set; } = null!;

        /// <summary>A client holding a fresh administrator session token.</summary>
        public async Task<HostApi> AdminAsync()
        {
            using var basic = Center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
            var session = (await basic.SendAsync(HttpMethod.Post, "/api/session")).As<SessionDto>(HttpStatusCode.Created);
            return Center.BearerClient(session.Token);
        }

        public async Task InitializeAsync() => Center = await CenterProcess.StartAsync();

        public async Task DisposeAsync() => await Center.DisposeAsync();
    }
}
