using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Tests.Inventory;

public sealed class InventoryIdTests
{
    [Theory]
    [InlineData(InventoryObjectKind.Datacenter, 1, "datacenter-1")]
    [InlineData(InventoryObjectKind.Folder, 3, "group-3")]
    [InlineData(InventoryObjectKind.Cluster, 7, "domain-c7")]
    [InlineData(InventoryObjectKind.Host, 10, "host-10")]
    [InlineData(InventoryObjectKind.Vm, 42, "vm-42")]
    [InlineData(InventoryObjectKind.Datastore, 11, "datastore-11")]
    [InlineData(InventoryObjectKind.Network, 12, "network-12")]
    public void Create_EachKind_UsesVsphereStylePrefix(InventoryObjectKind kind, long number, string expected)
    {
        var id = InventoryId.Create(kind, number);

        Assert.Equal(expected, id.Value);
        Assert.Equal(kind, id.Kind);
        Assert.Equal(number, id.Number);
        Assert.True(InventoryId.TryParse(expected, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vm-")]
    [InlineData("vm-0")]
    [InlineData("vm-01")]
    [InlineData("vm--1")]
    [InlineData("vm-+1")]
    [InlineData("vm-1 ")]
    [InlineData("VM-1")]
    [InlineData("domain-7")]
    [InlineData("task-1")]
    [InlineData("group-d1")]
    [InlineData("vm-9223372036854775808")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(InventoryId.TryParse(text, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void Create_ZeroNumber_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InventoryId.Create(InventoryObjectKind.Vm, 0));
    }

    [Fact]
    public void RootFolder_IsGroup1()
    {
        Assert.Equal("group-1", InventoryId.RootFolder.Value);
    }

    [Fact]
    public void Create_LargestNumber_FitsMaxLength()
    {
        foreach (var kind in Enum.GetValues<InventoryObjectKind>())
        {
            Assert.True(InventoryId.Create(kind, long.MaxValue).Value.Length <= InventoryId.MaxLength);
        }
    }
}
