using System.Threading.Channels;

namespace Hyperion.Hypervisor.Drivers;

/// <summary>One running VM as its driver sees it. Disposing it stops watching and leaves the VM running.</summary>
public interface IVmInstance : IAsyncDisposable
{
    int Pid { get; }

    /// <summary><c>kvm</c> or <c>tcg</c> (or <c>simulated</c>).</summary>
    string Accelerator { get; }

    /// <summary>The QEMU CPU model the guest sees (<c>-cpu</c>), when known.</summary>
    string? CpuModel => null;

    /// <summary>False when the instance runs but cannot be controlled (its monitor does not answer): only <see cref="Kill"/> works.</summary>
    bool HasMonitor { get; }

    /// <summary>Pause/resume seen on the instance, whoever caused them.</summary>
    ChannelReader<VmRuntimeEvent> Events { get; }

    /// <summary>Completes once the instance is gone, with the shutdown reason it reported (<c>guest-shutdown</c>, <c>host-qmp-quit</c>…) or null if it vanished without one.</summary>
    Task<string?> Exited { get; }

    Task PauseAsync(CancellationToken cancellationToken);

    Task ContinueAsync(CancellationToken cancellationToken);

    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>Presses the ACPI power button; the guest decides what to do.</summary>
    Task PressPowerButtonAsync(CancellationToken cancellationToken);

    /// <summary>Stops the instance at once (the guest gets no say); kills it if it has not gone after <paramref name="grace"/>.</summary>
    Task QuitAsync(TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Kills the instance's process.</summary>
    void Kill();

    /// <summary>
    /// Starts sending the running VM to a destination listening on <paramref name="uri"/> (<c>tcp:ADDRESS:PORT</c>).
    /// The VM keeps running here until switch-over; then it is paused here (<c>completed</c>) and its owner decides
    /// whether the destination takes over or this side resumes.
    /// </summary>
    Task StartMigrationAsync(string uri, VmMigrationSettings settings, CancellationToken cancellationToken);

    Task<VmMigrationProgress> QueryMigrationAsync(CancellationToken cancellationToken);

    /// <summary>Cancels an outgoing migration before switch-over; the VM keeps running here.</summary>
    Task CancelMigrationAsync(CancellationToken cancellationToken);

    /// <summary>Switches a running pre-copy to post-copy (the destination runs the guest from now on, fetching missing pages from here).</summary>
    Task StartPostcopyAsync(CancellationToken cancellationToken);

    /// <summary>Completes at the next change of the outgoing migration's status (QEMU's MIGRATION event) or the next stop of the vCPUs, so pollers can react at once.</summary>
    Task MigrationStatusChanged { get; }

    /// <summary>The last stop of the guest's vCPUs QEMU reported (null: none seen, or the driver cannot tell).</summary>
    VcpuStop? LastStop => null;

    /// <summary>Destination of a live migration: completes when the incoming stream has ended (loaded, failed, or the QEMU exited: throws then).</summary>
    Task WaitForStreamEndAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Destination of a live migration: runs the arriving guest — at once if the stream has completed, else as soon as it
    /// completes (never before: `cont` activates the disks) — and returns when it runs, with QEMU's timestamp of that
    /// moment when known. Throws when the guest cannot run: the QEMU exited (the stream broke), the guest arrived in a
    /// state it cannot run from, or the stream did not complete within <paramref name="timeout"/> (the caller then kills
    /// this QEMU).
    /// </summary>
    async Task<DateTimeOffset?> RunArrivedGuestAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await ContinueAsync(cancellationToken);
        return null;
    }

    /// <summary>Reads the instance's resource counters now (for performance metrics).</summary>
    /// <exception cref="IOException">The instance is gone.</exception>
    Task<VmResourceSample> SampleAsync(CancellationToken cancellationToken);
}
