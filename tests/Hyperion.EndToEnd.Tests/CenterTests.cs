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
        Assert.Contains((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>(), d => d.Id == created.Id && d.Name == name);
        var folders = (await admin.SendAsync(HttpMethod.Get, $"/api/folders?parent={created.Id}")).As<List<FolderDto>>();
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
        Assert.Single((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>(), d => d.Name == name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("a/b")]
    public async Task CreateDatacenter_BadName_UnprocessableAndNothingCreated(string name)
    {
        using var admin = await fixture.AdminAsync();
        var before = (await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>().Count;

        var result = await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Equal("inventory.invalid-name", result.Problem().Code);
        Assert.Equal(before, (await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>().Count);
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
        Assert.Contains((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<List<ClusterDto>>(), c => c.Id == cluster.Id && c.Name == name);
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
        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<List<ClusterDto>>(), c => c.Name == name);
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

        Assert.Contains(list.As<List<DatacenterDto>>(), d => d.Id == datacenter.Id);
        foreach (var refused in new[] { createDatacenter, createCluster, createUser, grantSelf })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Equal("auth.forbidden", refused.Problem().Code);
        }

        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>(), d => d.Name == dcName);
        Assert.DoesNotContain((await admin.SendAsync(HttpMethod.Get, "/api/clusters")).As<List<ClusterDto>>(), c => c.Name == clusterName);
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

        var list = (await client.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>();

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
        var datacenters = (await after.SendAsync(HttpMethod.Get, "/api/datacenters")).As<List<DatacenterDto>>();
        Assert.Equal(datacenter, Assert.Single(datacenters));
        Assert.DoesNotContain("password (generated", center.Output, StringComparison.Ordinal);
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
