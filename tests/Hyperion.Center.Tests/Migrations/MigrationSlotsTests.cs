using Hyperion.Center.Migrations;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Tests.Migrations;

public sealed class MigrationSlotsTests
{
    private static readonly InventoryId A = new("host-1");
    private static readonly InventoryId B = new("host-2");
    private static readonly InventoryId C = new("host-3");

    [Fact]
    public async Task AcquireAsync_BeyondTheLimit_Waits_UntilASlotIsReleased()
    {
        var slots = new MigrationSlots(2);
        var first = await slots.AcquireAsync([A, B], highPriority: true, CancellationToken.None);
        var second = await slots.AcquireAsync([A, C], highPriority: true, CancellationToken.None);
        Assert.Equal(2, slots.InUse(A));

        var third = slots.AcquireAsync([A, B], highPriority: true, CancellationToken.None);
        Assert.False(third.IsCompleted, "host A has no free slot");
        first.Dispose();
        using var granted = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, slots.InUse(A));
        second.Dispose();
        first.Dispose();
        Assert.Equal(1, slots.InUse(A));
    }

    [Fact]
    public async Task AcquireAsync_HighPriority_GrantedBeforeEarlierNormal()
    {
        var slots = new MigrationSlots(1);
        var held = await slots.AcquireAsync([A, B], highPriority: true, CancellationToken.None);
        var normal = slots.AcquireAsync([A, B], highPriority: false, CancellationToken.None);
        var high = slots.AcquireAsync([A, C], highPriority: true, CancellationToken.None);
        held.Dispose();
        using var first = await high.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(normal.IsCompleted, "the normal-priority migration waits for the high-priority one");
        first.Dispose();
        using var second = await normal.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_LeavesTheQueueAndTakesNoSlot()
    {
        var slots = new MigrationSlots(1);
        using var held = await slots.AcquireAsync([A], highPriority: true, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = slots.AcquireAsync([A], highPriority: true, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(0, slots.InUse(A));
    }

    [Fact]
    public void Constructor_NoSlots_Refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new MigrationSlots(0));
}
