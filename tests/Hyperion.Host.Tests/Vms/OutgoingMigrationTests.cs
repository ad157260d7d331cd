using Hyperion.Contracts.Migrations;
using Hyperion.Host.Vms;

namespace Hyperion.Host.Tests.Vms;

/// <summary>
/// The source's switch-over at its stop and every cancel exclude each other: once the destination is told to run the
/// guest when the stream completes, nothing may cancel (QEMU would resume the source too); once a cancel is asked for,
/// the destination is never told.
/// </summary>
public sealed class OutgoingMigrationTests
{
    private static OutgoingMigration New() => new("tcp:10.0.0.2:49152", new MigrationStartRequest("tcp:10.0.0.2:49152"), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Committed_RefusesEveryLaterCancel_AndKeepsNoCancelReason()
    {
        var migration = New();
        Assert.True(migration.TryCommit());
        Assert.True(migration.Committed);
        Assert.False(migration.TryRequestCancel("cancelled on request"));
        Assert.False(migration.TryRequestCancel("did not converge"));
        Assert.Null(migration.CancelReason);
    }

    [Fact]
    public void Armed_ButTheRequestNeverReachedTheDestination_PlainCancelAllowed()
    {
        var migration = New();
        Assert.True(migration.TryCommit());
        migration.SwitchoverNotDelivered = true;
        Assert.True(migration.TryRequestCancel("did not converge"));
        Assert.Equal("did not converge", migration.CancelReason);
    }

    [Fact]
    public void Armed_DestinationThrewItsArrivalAway_CancelGoesAheadWithItsReason()
    {
        var migration = New();
        Assert.True(migration.TryCommit());
        Assert.False(migration.TryRequestCancel("cancelled on request"));
        migration.CancelAfterArrivalGone("cancelled on request");
        Assert.Equal("cancelled on request", migration.CancelReason);
        Assert.False(migration.TryCommit());
    }

    [Fact]
    public void CancelAskedFirst_CommitRefused_FirstReasonKept()
    {
        var migration = New();
        Assert.True(migration.TryRequestCancel("the stream stopped"));
        Assert.False(migration.TryCommit());
        Assert.False(migration.Committed);
        Assert.True(migration.TryRequestCancel("cancelled on request"));
        Assert.Equal("the stream stopped", migration.CancelReason);
    }

    [Fact]
    public async Task CommitAndCancelRacing_ExactlyOneWins()
    {
        for (var round = 0; round < 200; round++)
        {
            var migration = New();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var commit = Task.Run(async () => { await start.Task; return migration.TryCommit(); });
            var cancel = Task.Run(async () => { await start.Task; return migration.TryRequestCancel("cancelled on request"); });
            start.SetResult();
            var (committed, cancelled) = (await commit, await cancel);
            Assert.True(committed ^ cancelled, $"round {round}: commit {committed}, cancel {cancelled}");
        }
    }

    [Fact]
    public void Status_ReportsSwitchoverArmed_AndGuestPause()
    {
        var migration = New();
        Assert.False(migration.Status.SwitchoverArmed);
        migration.TryCommit();
        migration.GuestPauseMs = 12;
        migration.Update(new Hyperion.Hypervisor.Drivers.VmMigrationProgress("completed") { DowntimeMs = 7 });
        Assert.True(migration.Status.SwitchoverArmed);
        Assert.Equal(12, migration.Status.GuestPauseMs);
    }
}
