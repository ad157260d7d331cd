using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Tests.Authorization;

public sealed class EffectivePrivilegesTests
{
    private static readonly InventoryId Root = InventoryId.RootFolder;
    private static readonly InventoryId Datacenter = new("datacenter-2");
    private static readonly InventoryId VmFolder = new("group-4");
    private static readonly InventoryId SubFolder = new("group-5");
    private static readonly InventoryId Vm = new("vm-6");

    /// <summary>vm-6 → group-5 → group-4 → datacenter-2 → group-1.</summary>
    private static readonly InventoryId[] VmPath = [Vm, SubFolder, VmFolder, Datacenter, Root];

    private static readonly string[] Admin = [.. BuiltInRoles.Administrator.Privileges];
    private static readonly string[] ReadOnly = [.. BuiltInRoles.ReadOnly.Privileges];
    private static readonly string[] Operator = [.. BuiltInRoles.VmOperator.Privileges];

    private static readonly InventoryId Cluster = new("domain-c8");
    private static readonly InventoryId Host = new("host-9");
    private static readonly InventoryId HostFolder = new("group-3");

    /// <summary>A VM's two paths: through its folders, and through its host and cluster.</summary>
    private static readonly IReadOnlyList<InventoryId>[] VmPaths = [VmPath, [Vm, Host, Cluster, HostFolder, Datacenter, Root]];

    [Fact]
    public void Evaluate_TwoPaths_PermissionOnClusterReachesItsHostsVms()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPaths, [new PermissionEntry("alice", Cluster, Operator, Propagate: true)]);

        Assert.Contains(Privileges.VmPowerOn, result);
    }

    [Fact]
    public void Evaluate_TwoPaths_EachPathDecidesAndTheyAdd()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPaths, [
            new PermissionEntry("alice", SubFolder, ReadOnly, Propagate: true),
            new PermissionEntry("alice", Root, Admin, Propagate: true),
            new PermissionEntry("alice", Cluster, Operator, Propagate: true),
        ]);

        // The folder path stops at Read-only (nearest wins), the host path at VM operator: the VM gets both.
        Assert.Contains(Privileges.VmPowerOn, result);
        Assert.DoesNotContain(Privileges.VmDelete, result);
    }

    [Fact]
    public void Evaluate_TwoPaths_OwnPermissionOverridesBoth()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPaths, [
            new PermissionEntry("alice", Cluster, Admin, Propagate: true),
            new PermissionEntry("alice", Vm, ReadOnly, Propagate: false),
        ]);

        Assert.DoesNotContain(Privileges.VmPowerOn, result);
        Assert.Contains(Privileges.SystemView, result);
    }

    [Fact]
    public void PermissionIndex_TwoParents_SameAnswerAsTwoPathRule()
    {
        PermissionEntry[] permissions = [new("alice", SubFolder, ReadOnly, true), new("alice", Cluster, Operator, true)];
        var parents = new Dictionary<InventoryId, InventoryId>
        {
            [SubFolder] = VmFolder, [VmFolder] = Datacenter, [Datacenter] = Root, [Host] = Cluster, [Cluster] = HostFolder, [HostFolder] = Datacenter,
        };
        var index = new PermissionIndex("alice", permissions, id => parents.TryGetValue(id, out var p) ? p : null);

        Assert.Equal(
            EffectivePrivileges.Evaluate("alice", VmPaths, permissions).Order(StringComparer.Ordinal),
            index.On(Vm, SubFolder, Host).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_NoPermissions_Empty()
    {
        Assert.Empty(EffectivePrivileges.Evaluate("alice", VmPath, []));
    }

    [Fact]
    public void Evaluate_PropagatingPermissionOnRoot_AppliesToDescendant()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath, [new PermissionEntry("alice", Root, Admin, Propagate: true)]);

        Assert.Equal(Admin.ToHashSet(), result);
    }

    [Fact]
    public void Evaluate_NonPropagatingPermissionOnAncestor_DoesNotReachDescendant()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath, [new PermissionEntry("alice", Datacenter, Admin, Propagate: false)]);

        Assert.Empty(result);
    }

    [Fact]
    public void Evaluate_NonPropagatingPermissionOnObjectItself_Applies()
    {
        var result = EffectivePrivileges.Evaluate("alice", [Datacenter, Root], [new PermissionEntry("alice", Datacenter, Admin, Propagate: false)]);

        Assert.Equal(Admin.ToHashSet(), result);
    }

    [Fact]
    public void Evaluate_NonPropagatingNearerAncestor_SkippedForFartherPropagatingOne()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath,
        [
            new PermissionEntry("alice", SubFolder, Admin, Propagate: false),
            new PermissionEntry("alice", Datacenter, ReadOnly, Propagate: true),
        ]);

        Assert.Equal(ReadOnly.ToHashSet(), result);
    }

    [Fact]
    public void Evaluate_NearerPermission_OverridesFartherEvenWhenNarrower()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath,
        [
            new PermissionEntry("alice", Root, Admin, Propagate: true),
            new PermissionEntry("alice", VmFolder, ReadOnly, Propagate: true),
        ]);

        Assert.Equal(ReadOnly.ToHashSet(), result);
        Assert.DoesNotContain(Privileges.VmPowerOn, result);
    }

    [Fact]
    public void Evaluate_PermissionOnObject_OverridesAncestors()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath,
        [
            new PermissionEntry("alice", Datacenter, ReadOnly, Propagate: true),
            new PermissionEntry("alice", Vm, Operator, Propagate: false),
        ]);

        Assert.Contains(Privileges.VmPowerOn, result);
    }

    [Fact]
    public void Evaluate_OtherPrincipalsPermission_Ignored()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath, [new PermissionEntry("bob", Root, Admin, Propagate: true)]);

        Assert.Empty(result);
    }

    [Fact]
    public void Evaluate_PermissionOffThePath_Ignored()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath, [new PermissionEntry("alice", new InventoryId("group-99"), Admin, Propagate: true)]);

        Assert.Empty(result);
    }

    [Fact]
    public void Evaluate_TwoPermissionsOnSameLevel_Union()
    {
        var result = EffectivePrivileges.Evaluate("alice", VmPath,
        [
            new PermissionEntry("alice", VmFolder, [Privileges.VmPowerOn], Propagate: true),
            new PermissionEntry("alice", VmFolder, [Privileges.VmConsole], Propagate: true),
            new PermissionEntry("alice", Root, Admin, Propagate: true),
        ]);

        Assert.Equal(new HashSet<string> { Privileges.VmPowerOn, Privileges.VmConsole }, result);
    }

    [Fact]
    public void Evaluate_PrincipalNameDiffersInCase_NoMatch()
    {
        Assert.Empty(EffectivePrivileges.Evaluate("Alice", VmPath, [new PermissionEntry("alice", Root, Admin, Propagate: true)]));
    }

    [Fact]
    public void Has_PrivilegeInNearestRole_True()
    {
        Assert.True(EffectivePrivileges.Has("alice", VmPath, [new PermissionEntry("alice", Datacenter, Operator, Propagate: true)], Privileges.VmPowerOn));
        Assert.False(EffectivePrivileges.Has("alice", VmPath, [new PermissionEntry("alice", Datacenter, Operator, Propagate: true)], Privileges.VmDelete));
    }
}
