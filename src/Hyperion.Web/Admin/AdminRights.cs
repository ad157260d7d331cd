using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Admin;

/// <summary>
/// What the signed-in user may change in Administration, as the Center's services decide it: users take
/// <see cref="Privileges.ManageUsers"/>, roles <see cref="Privileges.ModifyRoles"/> on the root folder; permissions take
/// <see cref="Privileges.ModifyPermissions"/> on the object they are set on (for the Administration page, the root folder).
/// Each refusal carries the reason shown next to the disabled control.
/// </summary>
public sealed record AdminRights(string? ManageUsersDenied, string? ModifyRolesDenied, string? ModifyPermissionsDenied)
{
    public bool CanManageUsers => ManageUsersDenied is null;

    public bool CanModifyRoles => ModifyRolesDenied is null;

    public bool CanModifyPermissions => ModifyPermissionsDenied is null;

    /// <param name="userName">The signed-in user.</param>
    /// <param name="rootPrivileges">Their effective privileges on the root folder.</param>
    public static AdminRights From(string userName, IReadOnlySet<string> rootPrivileges)
    {
        ArgumentNullException.ThrowIfNull(rootPrivileges);
        return new AdminRights(
            Denied(userName, rootPrivileges, Privileges.ManageUsers, InventoryId.RootFolder),
            Denied(userName, rootPrivileges, Privileges.ModifyRoles, InventoryId.RootFolder),
            Denied(userName, rootPrivileges, Privileges.ModifyPermissions, InventoryId.RootFolder));
    }

    /// <returns>Null when <paramref name="privileges"/> holds <paramref name="privilege"/>; else why not, as the API would refuse.</returns>
    public static string? Denied(string userName, IReadOnlySet<string> privileges, string privilege, InventoryId objectId)
    {
        ArgumentNullException.ThrowIfNull(privileges);
        return privileges.Contains(privilege)
            ? null
            : $"User '{userName}' lacks privilege {privilege} on {Describe(objectId)}.";
    }

    private static string Describe(InventoryId objectId) =>
        objectId == InventoryId.RootFolder ? $"the root folder ({objectId})" : objectId.Value;
}
