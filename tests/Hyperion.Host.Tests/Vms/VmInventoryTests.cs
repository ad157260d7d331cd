using Hyperion.Host.Vms;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Vms;

public sealed class VmInventoryTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyinv");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Add_TwoVms_AllocatesVm1ThenVm2()
    {
        var inventory = new VmInventory(_dir.Path);

        var first = inventory.Add("local", "web01");
        var second = inventory.Add("shared", "db01");

        Assert.Equal(new VmRegistration("vm-1", "local", "web01"), first);
        Assert.Equal(new VmRegistration("vm-2", "shared", "db01"), second);
        Assert.Equal([first, second], inventory.All);
    }

    [Fact]
    public void Constructor_NoFile_Empty()
    {
        Assert.Empty(new VmInventory(_dir.Path).All);
    }

    [Fact]
    public void Constructor_AfterAdds_ReloadsSameRegistrations()
    {
        var inventory = new VmInventory(_dir.Path);
        inventory.Add("local", "web01");
        inventory.Add("local", "db01");

        var reloaded = new VmInventory(_dir.Path);

        Assert.Equal(inventory.All, reloaded.All);
        Assert.True(File.Exists(_dir.Combine("inventory.json")));
        Assert.False(File.Exists(_dir.Combine("inventory.json.tmp")));
    }

    [Fact]
    public void Remove_Registered_GoneAndPersisted()
    {
        var inventory = new VmInventory(_dir.Path);
        inventory.Add("local", "web01");
        var db = inventory.Add("local", "db01");

        inventory.Remove("vm-1");

        Assert.Equal([db], inventory.All);
        Assert.Equal([db], new VmInventory(_dir.Path).All);
    }

    [Fact]
    public void Remove_UnknownId_NoChange()
    {
        var inventory = new VmInventory(_dir.Path);
        var web = inventory.Add("local", "web01");

        inventory.Remove("vm-99");

        Assert.Equal([web], inventory.All);
    }

    [Fact]
    public void Add_AfterRemoveAndReload_NeverReusesIds()
    {
        var inventory = new VmInventory(_dir.Path);
        inventory.Add("local", "a");
        inventory.Add("local", "b");
        inventory.Remove("vm-2");
        inventory.Remove("vm-1");

        var reloaded = new VmInventory(_dir.Path);
        var next = reloaded.Add("local", "c");

        Assert.Equal("vm-3", next.Id);
        Assert.Equal("vm-4", new VmInventory(_dir.Path).Add("local", "d").Id);
    }
}
