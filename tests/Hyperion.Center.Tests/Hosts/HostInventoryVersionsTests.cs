using Hyperion.Center.Hosts;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Tests.Hosts;

public sealed class HostInventoryVersionsTests
{
    private static readonly InventoryId Host = InventoryId.Create(InventoryObjectKind.Host, 7);
    private static readonly InventoryId Other = InventoryId.Create(InventoryObjectKind.Host, 8);

    [Fact]
    public async Task AroundAsync_BumpsBeforeAndAfterTheCall_OnlyThatHost()
    {
        var versions = new HostInventoryVersions();
        long during = -1;

        var result = await versions.AroundAsync(Host, () =>
        {
            during = versions.Current(Host);
            Assert.True(versions.Busy(Host));
            Assert.False(versions.Busy(Other));
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.False(versions.Busy(Host));
        Assert.Equal(1, during);
        Assert.Equal(2, versions.Current(Host));
        Assert.Equal(0, versions.Current(Other));
    }

    [Fact]
    public async Task AroundAsync_CallFails_StillBumpsAfter()
    {
        var versions = new HostInventoryVersions();

        await Assert.ThrowsAsync<InvalidOperationException>(() => versions.AroundAsync<int>(Host, () => throw new InvalidOperationException("host refused")));

        Assert.Equal(2, versions.Current(Host));
    }
}
