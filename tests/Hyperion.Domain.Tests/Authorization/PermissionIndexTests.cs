using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Tests.Authorization;

public sealed class PermissionIndexTests
{
    private static readonly InventoryId Root = InventoryId.RootFolder;
    private static readonly InventoryId Datacenter = new("datacenter-2");
    private static readonly InventoryId VmFolder = new("group-4");
    private static readonly InventoryId SubFolder = new("group-5");
    private static readonly InventoryId Vm = new("vm-6");
    private static readonly InventoryId OtherVm = new("vm-7");

    private static readonly Dictionary<InventoryId, InventoryId> Parents = new()
    {
        [Datacenter] = Root,
        [VmFolder] = Datacenter,
        [SubFolder] = VmFolder,
        [Vm] = SubFolder,
        [OtherVm] = SubFolder,
    };

    private static readonly string[] Admin = [.. BuiltInRoles.Administrator.Privileges];
    private static readonly string[] ReadOnly = [.. BuiltInRoles.ReadOnly.Privileges];

    [Fact]
    public void On_NoAccessOnChild_OverridesAdministratorOnRoot()
    {
        var index = Index(new PermissionEntry("alice", Root, Admin, true), new PermissionEntry("alice", SubFolder, [], true));

        Assert.Empty(index.On(Vm));
        Assert.Empty(index.On(SubFolder));
        Assert.Contains(Privileges.SystemView, index.On(VmFolder));
    }

    [Fact]
    public void On_NonPropagatingNoAccessOnFolder_HidesFolderOnly()
    {
        var index = Index(new PermissionEntry("alice", Root, ReadOnly, true), new PermissionEntry("alice", SubFolder, [], false));

        Assert.Empty(index.On(SubFolder));
        Assert.Contains(Privileges.SystemView, index.On(Vm));
    }

    [Fact]
    public void On_KnownParent_SameAsWalkingUp()
    {
        var index = Index(new PermissionEntry("alice", VmFolder, ReadOnly, true), new PermissionEntry("alice", OtherVm, Admin, false));

        Assert.Equal(index.On(Vm), index.On(Vm, SubFolder));
        Assert.Equal(Admin.ToHashSet(), index.On(OtherVm, SubFolder));
        Assert.Empty(index.On(Datacenter));
    }

    [Fact]
    public void HoldsEverywhere_AdministratorOnRootOnly_True()
    {
        Assert.True(Index(new PermissionEntry("alice", Root, Admin, true)).HoldsEverywhere(Privileges.SystemView));
    }

    [Fact]
    public void HoldsEverywhere_ChildPermissionWithoutPrivilege_False()
    {
        var index = Index(new PermissionEntry("alice", Root, Admin, true), new PermissionEntry("alice", Vm, [], false));

        Assert.False(index.HoldsEverywhere(Privileges.SystemView));
        Assert.True(Index(new PermissionEntry("alice", Root, Admin, true), new PermissionEntry("alice", Vm, ReadOnly, false)).HoldsEverywhere(Privileges.SystemView));
    }

    [Fact]
    public void HoldsEverywhere_RootPermissionNotPropagating_False()
    {
        Assert.False(Index(new PermissionEntry("alice", Root, Admin, false)).HoldsEverywhere(Privileges.SystemView));
        Assert.False(Index().HoldsEverywhere(Privileges.SystemView));
    }

    [Fact]
    public void On_ParentLoop_Throws()
    {
        var a = new InventoryId("group-8");
        var b = new InventoryId("group-9");
        var index = new PermissionIndex("alice", [], id => id == a ? b : a);

        Assert.Throws<InvalidOperationException>(() => index.On(new InventoryId("vm-10"), a));
    }

    /// <summary>On random trees with random permissions (other users' too), the index agrees with <see cref="EffectivePrivileges.Evaluate"/> on every object.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void On_RandomTrees_SameAsEvaluate(int seed)
    {
        var random = new Random(seed);
        var parents = new Dictionary<InventoryId, InventoryId>();
        var nodes = new List<InventoryId> { Root };
        for (var n = 2; n < 300; n++)
        {
            var id = InventoryId.Create(n % 5 == 0 ? InventoryObjectKind.Vm : InventoryObjectKind.Folder, n);
            var containers = nodes.Where(x => x.Kind != InventoryObjectKind.Vm).ToList();
            parents[id] = containers[random.Next(containers.Count)];
            nodes.Add(id);
        }

        string[][] roles = [Admin, ReadOnly, [.. BuiltInRoles.VmOperator.Privileges], []];
        var permissions = new List<PermissionEntry>();
        foreach (var user in new[] { "alice", "bob" })
        {
            foreach (var node in nodes.OrderBy(_ => random.Next()).Take(25))
            {
                permissions.Add(new PermissionEntry(user, node, roles[random.Next(roles.Length)], random.Next(3) > 0));
            }
        }

        var index = new PermissionIndex("alice", permissions, id => parents.TryGetValue(id, out var p) ? p : null);
        foreach (var node in nodes)
        {
            var ancestry = new List<InventoryId> { node };
            while (parents.TryGetValue(ancestry[^1], out var parent))
            {
                ancestry.Add(parent);
            }

            var expected = EffectivePrivileges.Evaluate("alice", ancestry, permissions);
            Assert.True(expected.SetEquals(index.On(node)), $"seed {seed}: {node} ({string.Join(" → ", ancestry)})");
            foreach (var privilege in new[] { Privileges.SystemView, Privileges.VmPowerOn, Privileges.VmCreate })
            {
                if (index.HoldsEverywhere(privilege))
                {
                    Assert.Contains(privilege, expected);
                }
            }
        }
    }

    private static PermissionIndex Index(params PermissionEntry[] permissions) =>
        new("alice", permissions, id => Parents.TryGetValue(id, out var p) ? p : null);
}
