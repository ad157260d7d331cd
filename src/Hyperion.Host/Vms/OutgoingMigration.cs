using Hyperion.Contracts.Migrations;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Host.Vms;

/// <summary>
/// One outgoing live migration of a VM, as its source host runs it. Phases: QEMU's status while it runs (<c>setup</c>,
/// <c>active</c>, <c>postcopy-active</c>, <c>device</c>), then <c>completed</c> (paused here, whole on the
/// destination: the Center decides), <c>failed</c> or <c>cancelled</c> (running here), and finally <c>switched</c>
/// (this host let go) or <c>resumed</c> (taken back after a failed switch-over). A shared-nothing migration starts
/// with <c>mirroring</c> (the disks are copied to the destination before the memory).
/// </summary>
internal sealed class OutgoingMigration(string uri, MigrationStartRequest request, DateTimeOffset startedAt)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MigrationStatusDto _status = new(request.DiskTargets is { Count: > 0 } ? "mirroring" : "setup", 1);

    public string Uri { get; } = uri;

    public MigrationStartRequest Request { get; } = request;

    public DateTimeOffset StartedAt { get; } = startedAt;

    private bool _committed;
    private bool _cancelRequested;

    /// <summary>Why the agent cancelled it itself (time limit), to report instead of QEMU's bare "cancelled".</summary>
    public string? CancelReason { get; set; }

    /// <summary>
    /// Armed: the source told the destination to run the guest as soon as its stream ends. From here on a plain cancel
    /// is refused (one landing between the stream's last byte and QEMU's <c>completed</c> would resume the source while
    /// the destination runs it too): a cancel first has the destination throw its arrival away
    /// (<see cref="CancelAfterArrivalGone"/>). The stream still fails by itself if it breaks — then the destination never
    /// got all of it and cannot run it.
    /// </summary>
    public bool Committed
    {
        get
        {
            lock (_gate)
            {
                return _committed;
            }
        }
    }

    /// <summary>Arms the destination (see <see cref="Committed"/>) unless a cancel was asked for first.</summary>
    public bool TryCommit()
    {
        lock (_gate)
        {
            if (_cancelRequested)
            {
                return false;
            }

            _committed = true;
            return true;
        }
    }

    /// <summary>
    /// Records a cancel (and its reason, if none yet) unless the migration is <see cref="Committed"/> — armed with a
    /// request that may have reached the destination.
    /// </summary>
    public bool TryRequestCancel(string reason)
    {
        lock (_gate)
        {
            if (_committed && !SwitchoverNotDelivered)
            {
                return false;
            }

            _cancelRequested = true;
            CancelReason ??= reason;
            return true;
        }
    }

    /// <summary>Armed, and the destination has thrown its arrival away (it can no longer run the guest): the cancel goes ahead.</summary>
    public void CancelAfterArrivalGone(string reason)
    {
        lock (_gate)
        {
            _cancelRequested = true;
            CancelReason ??= reason;
        }
    }

    /// <summary>The line to the destination agent (null: the Center switches over, e.g. shared-nothing).</summary>
    public SwitchoverClient? Switchover { get; set; }

    public bool PostcopyStarted { get; set; }

    /// <summary>Direct switch-over done by this host: the VM as the destination runs it, and how long the guest waited for it.</summary>
    public (Contracts.Vms.VmDto Vm, long SwitchOverMs)? Arrived { get; set; }

    /// <summary>Direct switch-over: the guest's whole pause (its vCPUs stopped here → running there), from QEMU's stamps.</summary>
    public long? GuestPauseMs { get; set; }

    /// <summary>Direct switch-over attempted and failed: why (the Center then tries itself).</summary>
    public string? SwitchoverError { get; set; }

    /// <summary>
    /// The failed direct switch-over cannot have run the guest there: it never reached the destination (no connection
    /// could be made), or the destination's side closed it before the guest stopped here for the final pass.
    /// </summary>
    public bool SwitchoverNotDelivered { get; set; }

    /// <summary>Armed switch-over: when the destination's side closed its request (the agent died, or dropped it).</summary>
    public DateTimeOffset? SwitchoverClosedAt { get; set; }

    /// <summary>Whether QEMU sends the stream over TLS (read back from it).</summary>
    public bool Tls { get; set; }

    /// <summary>Shared-nothing: the disks are mirrored to the destination (<see cref="MigrationStartRequest.DiskTargets"/>).</summary>
    public bool SharedNothing => Request.DiskTargets is { Count: > 0 };

    /// <summary>Shared-nothing: the mirror jobs running in the source QEMU.</summary>
    public List<string> MirrorJobs { get; } = [];

    /// <summary>Cancels the mirroring phase (before QEMU's own migration has started).</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Disk bytes mirrored so far and in all (shared-nothing).</summary>
    public void SetDiskProgress(long copied, long total) => Set(status => status with { Version = status.Version + 1, DiskCopiedBytes = copied, DiskTotalBytes = total });

    public MigrationStatusDto Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Whether the VM is still held by this migration (running it, or paused awaiting the Center's word).</summary>
    public bool Holds => Status.Status is not ("failed" or "cancelled" or "switched" or "resumed");

    public void Update(VmMigrationProgress progress) => Set(status => Map(progress, status.Version + 1) with { DiskCopiedBytes = status.DiskCopiedBytes, DiskTotalBytes = status.DiskTotalBytes });

    /// <summary>Moves to an agent-level phase (<c>switched</c>, <c>resumed</c>, <c>failed</c>) keeping the last numbers.</summary>
    public void SetPhase(string phase, string? error = null) => Set(status => status with { Status = phase, Version = status.Version + 1, Error = error ?? status.Error });

    /// <summary>Completes when the status has a version above <paramref name="after"/>, or after <paramref name="wait"/>.</summary>
    public async Task<MigrationStatusDto> WaitAsync(long after, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_status.Version > after)
            {
                return _status;
            }

            changed = _changed.Task;
        }

        await Task.WhenAny(changed, Task.Delay(wait, time, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return Status;
    }

    private MigrationStatusDto Map(VmMigrationProgress p, long version) => new(p.Status, version)
    {
        TotalBytes = p.TotalBytes,
        TransferredBytes = p.TransferredBytes,
        RemainingBytes = p.RemainingBytes,
        DirtyRateBytesPerSecond = p.DirtyRateBytesPerSecond,
        Passes = p.Passes,
        ExpectedDowntimeMs = p.ExpectedDowntimeMs,
        DowntimeMs = p.DowntimeMs,
        TotalTimeMs = p.TotalTimeMs,
        SetupTimeMs = p.SetupTimeMs,
        ThrottlePercent = p.ThrottlePercent,
        PostcopyStarted = PostcopyStarted,
        Tls = Tls,
        Error = p.Status is "cancelled" or "failed" && CancelReason is not null ? CancelReason : p.Error,
        Arrived = Arrived?.Vm,
        SwitchOverMs = Arrived?.SwitchOverMs,
        GuestPauseMs = GuestPauseMs,
        SwitchoverArmed = _committed,
        SwitchoverError = SwitchoverError,
        SwitchoverNotDelivered = SwitchoverNotDelivered,
    };

    private void Set(Func<MigrationStatusDto, MigrationStatusDto> change)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            var next = change(_status);
            if (next with { Version = _status.Version } == _status)
            {
                return;
            }

            _status = next;
            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }
}
