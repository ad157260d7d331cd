namespace Hyperion.Domain.Authorization;

/// <summary>
/// The roles every Center has and cannot edit: Administrator (every privilege), VM operator (use VMs: power,
/// console, cancel their tasks; no create/delete/reconfigure), Read-only (see the inventory) and No access (no
/// privilege at all: set on an object, it hides that object, and with propagation its subtree, from a user who holds
/// more above it, because the nearest permission wins).
/// </summary>
public static class BuiltInRoles
{
    public const string AdministratorName = "Administrator";
    public const string VmOperatorName = "VM operator";
    public const string ReadOnlyName = "Read-only";
    public const string NoAccessName = "No access";

    private static readonly string[] ReadOnlyPrivileges = [Privileges.SystemAnonymous, Privileges.SystemView, Privileges.SystemRead];

    public static RoleDefinition Administrator { get; } = new(AdministratorName, Privileges.All);

    public static RoleDefinition VmOperator { get; } = new(VmOperatorName, Sorted(
    [
        .. ReadOnlyPrivileges,
        Privileges.VmPowerOn, Privileges.VmPowerOff, Privileges.VmReset, Privileges.VmSuspend, Privileges.VmConsole,
        Privileges.DatastoreBrowse, Privileges.TaskCancel,
    ]));

    public static RoleDefinition ReadOnly { get; } = new(ReadOnlyName, Sorted(ReadOnlyPrivileges));

    public static RoleDefinition NoAccess { get; } = new(NoAccessName, []);

    public static IReadOnlyList<RoleDefinition> All { get; } = [Administrator, VmOperator, ReadOnly, NoAccess];

    private static string[] Sorted(IEnumerable<string> privileges) => privileges.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
