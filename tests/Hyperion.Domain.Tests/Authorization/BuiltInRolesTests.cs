using Hyperion.Domain.Authorization;

namespace Hyperion.Domain.Tests.Authorization;

public sealed class BuiltInRolesTests
{
    [Fact]
    public void Administrator_Privileges_AreAll()
    {
        Assert.Equal(Privileges.All, BuiltInRoles.Administrator.Privileges);
    }

    [Fact]
    public void All_Roles_UseKnownSortedDistinctPrivileges()
    {
        Assert.All(BuiltInRoles.All, role =>
        {
            Assert.All(role.Privileges, p => Assert.True(Privileges.IsKnown(p), $"{role.Name}: unknown {p}"));
            Assert.Equal(role.Privileges.Distinct().Order(StringComparer.Ordinal), role.Privileges);
        });
        Assert.Equal(4, BuiltInRoles.All.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void ReadOnly_Privileges_AreOnlySystemOnes()
    {
        Assert.All(BuiltInRoles.ReadOnly.Privileges, p => Assert.StartsWith("System.", p, StringComparison.Ordinal));
    }

    [Fact]
    public void NoAccess_Privileges_AreNone()
    {
        Assert.Empty(BuiltInRoles.NoAccess.Privileges);
    }

    [Fact]
    public void VmOperator_Privileges_PowerButNotCreateOrDelete()
    {
        Assert.Contains(Privileges.VmPowerOn, BuiltInRoles.VmOperator.Privileges);
        Assert.Contains(Privileges.VmConsole, BuiltInRoles.VmOperator.Privileges);
        Assert.DoesNotContain(Privileges.VmCreate, BuiltInRoles.VmOperator.Privileges);
        Assert.DoesNotContain(Privileges.VmDelete, BuiltInRoles.VmOperator.Privileges);
        Assert.DoesNotContain(Privileges.ModifyPermissions, BuiltInRoles.VmOperator.Privileges);
    }

    [Fact]
    public void PrivilegesAll_Constants_AreSortedAndDistinct()
    {
        var constants = typeof(Privileges).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(constants.Order(StringComparer.Ordinal), Privileges.All);
    }
}
