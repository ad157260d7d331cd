using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Inventory;
using Hyperion.Testing;
using Hyperion.Web.Admin;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>Administration (users, roles, permissions) and an object's Permissions tab, as an administrator and as a read-only user.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class AdminTests(WebLab lab)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task Admin_CreatesUserAndRole_GrantsItOnTheCluster_FromItsPermissionsTab_AndTheApiHasIt()
    {
        var userName = Unique("adm-user");
        var roleName = Unique("adm-role");
        var page = await lab.LoginAsync(path: "/ui/admin/users");
        await Assertions.Expect(page.Locator("#admin-title")).ToHaveTextAsync("Users");
        await Ready(page, "#users-panel");
        await Assertions.Expect(page.Locator("#users-table tr[data-user='viewer']")).ToBeVisibleAsync();

        // Inline validation: a duplicate name and a weak password are refused before anything is sent.
        await page.FillAsync("#user-name", WebLab.ViewerUser);
        await Assertions.Expect(page.Locator("#user-create")).ToContainTextAsync("a user named 'viewer' already exists");
        await page.FillAsync("#user-name", userName);
        await page.FillAsync("#user-password", "short");
        await Assertions.Expect(page.Locator("#user-create")).ToContainTextAsync("password must be 8 to 1024 characters");
        await Assertions.Expect(page.Locator("#user-create-submit")).ToBeDisabledAsync();
        await page.FillAsync("#user-password", "adm-password-1");
        await page.FillAsync("#user-password-confirm", "adm-password-1");
        await page.ClickAsync("#user-create-submit");
        await Assertions.Expect(page.Locator($"#users-table tr[data-user='{userName}']")).ToBeVisibleAsync();

        // A custom role with privileges picked from the catalogue, grouped by category.
        await page.ClickAsync("#admin-nav-roles");
        await Assertions.Expect(page.Locator("#admin-title")).ToHaveTextAsync("Roles");
        await Ready(page, "#roles-panel");
        await Assertions.Expect(page.Locator("#role-privileges [data-category='VirtualMachine']")).ToBeVisibleAsync();
        await page.FillAsync("#role-name", "Administrator");
        await Assertions.Expect(page.Locator("#role-create")).ToContainTextAsync("a role named 'Administrator' already exists");
        await page.FillAsync("#role-name", roleName);
        await page.Locator("#role-privileges [data-privilege='VirtualMachine.Interact.PowerOn']").ClickAsync();
        await page.Locator("#role-privileges [data-privilege='VirtualMachine.Interact.PowerOff']").ClickAsync();
        await page.ClickAsync("#role-create-submit");
        var roleRow = page.Locator($"#roles-list .mud-expand-panel[data-role='{roleName}']");
        await Assertions.Expect(roleRow).ToBeVisibleAsync();
        var roles = (await lab.Admin.SendAsync(HttpMethod.Get, "/api/roles?limit=1000")).As<PageDto<RoleDto>>();
        var role = Assert.Single(roles.Items, r => r.Name == roleName);
        Assert.False(role.BuiltIn);
        Assert.Contains("VirtualMachine.Interact.PowerOn", role.Privileges);
        Assert.Contains("VirtualMachine.Interact.PowerOff", role.Privileges);
        await roleRow.Locator(".mud-expand-panel-header").ClickAsync();
        await Assertions.Expect(roleRow).ToContainTextAsync("Interact.PowerOn");
        await roleRow.ScrollIntoViewIfNeededAsync();
        await WebLab.ScreenshotAsync(page, "admin-roles");

        // Granted on the cluster from the cluster's Permissions tab.
        var cluster = lab.ClusterObject.Id;
        await page.GotoAsync($"/ui/inventory/{cluster}?tab=permissions");
        await WebLab.WaitInteractiveAsync(page);
        await Ready(page, "#object-permissions");
        await Assertions.Expect(page.Locator("#object-permission-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#object-permissions-inherited tr[data-user='viewer'][data-source='group-1']")).ToBeVisibleAsync();
        await ChooseAsync(page, "object-permission-user", userName);
        await ChooseAsync(page, "object-permission-role", roleName);
        await page.ClickAsync("#object-permission-submit");
        await Assertions.Expect(page.Locator($"#object-permissions-defined tr[data-user='{userName}'][data-role='{roleName}']")).ToBeVisibleAsync();
        await WebLab.ScreenshotAsync(page, "object-permissions");

        var permissions = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/permissions?object={cluster}")).As<PageDto<PermissionDto>>();
        var permission = Assert.Single(permissions.Items, p => p.User == userName);
        Assert.Equal(roleName, permission.Role);
        Assert.True(permission.Propagate);

        // The Administration list shows it with its object; the role in use cannot be deleted (the Center's reason).
        await page.GotoAsync("/ui/admin/permissions");
        await WebLab.WaitInteractiveAsync(page);
        await Ready(page, "#permissions-panel");
        await Assertions.Expect(page.Locator($"#permissions-table tr[data-user='{userName}'][data-object='{cluster}']")).ToContainTextAsync(WebLab.Cluster);
        await WebLab.ScreenshotAsync(page, "admin-permissions");

        await page.ClickAsync("#admin-nav-roles");
        await Ready(page, "#roles-panel");
        await page.Locator($"#roles-list .mud-expand-panel[data-role='{roleName}'] .mud-expand-panel-header").ClickAsync();
        await page.Locator($"#roles-list button.role-delete[data-delete-role='{roleName}']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"role '{roleName}' is used by 1 permission(s): remove them first");
        Assert.Contains((await lab.Admin.SendAsync(HttpMethod.Get, "/api/roles?limit=1000")).As<PageDto<RoleDto>>().Items, r => r.Name == roleName);
    }

    [Fact]
    public async Task Admin_DeletesAnUnusedCustomRole_BuiltInRolesHaveNoDelete()
    {
        var roleName = Unique("adm-temp");
        (await lab.Admin.SendAsync(HttpMethod.Post, "/api/roles", new RoleCreateRequest(roleName, ["System.Read"]))).EnsureStatus(HttpStatusCode.Created);
        var page = await lab.LoginAsync(path: "/ui/admin/roles");
        await Ready(page, "#roles-panel");
        await Assertions.Expect(page.Locator("#roles-list [data-role='Administrator']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#roles-list button.role-delete[data-delete-role='Administrator']")).ToHaveCountAsync(0);

        await page.Locator($"#roles-list .mud-expand-panel[data-role='{roleName}'] .mud-expand-panel-header").ClickAsync();
        await page.Locator($"#roles-list button.role-delete[data-delete-role='{roleName}']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator($"#roles-list [data-role='{roleName}']")).ToHaveCountAsync(0);
        Assert.DoesNotContain((await lab.Admin.SendAsync(HttpMethod.Get, "/api/roles?limit=1000")).As<PageDto<RoleDto>>().Items, r => r.Name == roleName);
    }

    [Fact]
    public async Task Viewer_SeesAdminActionsDisabledWithTheReason_AndTheApiRefusesThem()
    {
        var page = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, "/ui/admin/users");
        await Assertions.Expect(page.Locator("#users-denied")).ToContainTextAsync("lacks privilege Authorization.ManageUsers on the root folder (group-1)");
        await Assertions.Expect(page.Locator("#user-create-submit")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#user-name")).ToBeDisabledAsync();

        await page.ClickAsync("#admin-nav-roles");
        await Assertions.Expect(page.Locator("#roles-denied")).ToContainTextAsync("lacks privilege Authorization.ModifyRoles");
        await Assertions.Expect(page.Locator("#role-create-submit")).ToBeDisabledAsync();

        await page.ClickAsync("#admin-nav-permissions");
        await Assertions.Expect(page.Locator("#permissions-denied")).ToContainTextAsync("lacks privilege Authorization.ModifyPermissions");
        await Assertions.Expect(page.Locator("#permission-submit")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#permissions-table tr[data-user='viewer'][data-object='group-1']")).ToBeVisibleAsync();

        await page.GotoAsync($"/ui/inventory/{lab.ClusterObject.Id}?tab=permissions");
        await WebLab.WaitInteractiveAsync(page);
        await Ready(page, "#object-permissions");
        await Assertions.Expect(page.Locator("#object-permissions-denied")).ToContainTextAsync($"lacks privilege Authorization.ModifyPermissions on {lab.ClusterObject.Id}");
        await Assertions.Expect(page.Locator("#object-permission-submit")).ToBeDisabledAsync();

        using var viewer = lab.Center.Client(WebLab.ViewerUser, WebLab.ViewerPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest("adm-denied", "adm-password-1"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, "/api/roles", new RoleCreateRequest("adm-denied", []))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(WebLab.ViewerUser, "Administrator", "group-1"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(WebLab.ViewerUser, "Administrator", lab.ClusterObject.Id))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Delete, "/api/roles/Read-only")).Status);
    }

    [Fact]
    public void PermissionView_NearestPermissionOfAUserDecides_TheObjectsOwnOverridesEveryPath()
    {
        var vm = new InventoryId("vm-7");
        var host = new InventoryId("host-3");
        var cluster = new InventoryId("domain-c2");
        var folder = new InventoryId("group-4");
        var datacenter = new InventoryId("datacenter-2");
        IReadOnlyList<IReadOnlyList<InventoryId>> paths = [[vm, folder, datacenter, InventoryId.RootFolder], [vm, host, cluster, datacenter, InventoryId.RootFolder]];
        PermissionDto[] onAncestors =
        [
            new("ann", "Administrator", "group-1", true),
            new("ann", "Read-only", "domain-c2", true),
            new("bob", "Read-only", "group-1", true),
            new("bob", "Administrator", "datacenter-2", false),
            new("cid", "Administrator", "group-1", true),
        ];
        PermissionDto[] onObject = [new("cid", "No access", "vm-7", false)];
        var names = new Dictionary<string, string> { ["group-1"] = "Datacenters", ["domain-c2"] = "cl" };

        var view = ObjectPermissionView.Build(paths, onObject, onAncestors, names);

        Assert.Equal(onObject, view.Defined);
        // Non-propagating ones are not inherited; nearest ancestor first.
        Assert.Equal(["domain-c2", "group-1", "group-1", "group-1"], view.Inherited.Select(g => g.Permission.Object));
        Assert.Equal("cl", view.Inherited[0].SourceName);
        // ann: Read-only on the cluster decides on the host path; on the folder path, Administrator at the root decides.
        Assert.True(view.Inherited.Single(g => g.Permission is { User: "ann", Object: "domain-c2" }).InEffect);
        Assert.True(view.Inherited.Single(g => g.Permission is { User: "ann", Object: "group-1" }).InEffect);
        Assert.True(view.Inherited.Single(g => g.Permission.User == "bob").InEffect);
        // cid's own permission on the VM overrides everything inherited.
        Assert.False(view.Inherited.Single(g => g.Permission.User == "cid").InEffect);
    }

    [Fact]
    public void PrivilegeCatalog_GroupsByThePrefixBeforeTheFirstDot()
    {
        var groups = PrivilegeCatalog.Group(["VirtualMachine.Interact.PowerOn", "System.View", "VirtualMachine.Config.Settings", "System.Read"]);

        Assert.Equal(["System", "VirtualMachine"], groups.Select(g => g.Name));
        Assert.Equal(["VirtualMachine.Config.Settings", "VirtualMachine.Interact.PowerOn"], groups[1].Privileges);
        Assert.Equal("Interact.PowerOn", PrivilegeCatalog.ShortName("VirtualMachine.Interact.PowerOn"));
        Assert.Null(AdminValidation.Password("eight-ch"));
        Assert.NotNull(AdminValidation.Password("seven-c"));
        Assert.Equal("a role named 'x' already exists", AdminValidation.Name("x", ["x"], "role"));
        Assert.Equal("name starts or ends with a blank", AdminValidation.Name(" x", [], "role"));
    }

    /// <summary>Waits until the panel was rendered interactively with its lists read (prerendered controls ignore input).</summary>
    private static Task Ready(IPage page, string panel) =>
        Assertions.Expect(page.Locator($"{panel}[data-ready='true']")).ToBeVisibleAsync();

    /// <summary>Picks <paramref name="text"/> in the MudSelect with id <paramref name="id"/>.</summary>
    internal static async Task ChooseAsync(IPage page, string id, string text)
    {
        await page.Locator($"#{id}").ClickAsync(new LocatorClickOptions { Force = true });
        await page.Locator($".{id}-list .mud-list-item", new PageLocatorOptions { HasText = text }).First.ClickAsync();
    }
}
