using Hyperion.Contracts.Migrations;

namespace Hyperion.Host.Vms;

/// <summary>One storage migration of a VM to another datastore of this host: its status for long polling, and its cancellation.</summary>
internal sealed class StorageMotion(string datastore, string folder)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StorageMigrationStatusDto _status = new("copying", 1) { Datastore = datastore, Folder = folder };

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Set once the pivot started: from then on it can no longer be cancelled.</summary>
    public bool PastPointOfNoReturn { get; set; }

    public StorageMigrationStatusDto Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Copying a powered-off VM's disks to another host (status <c>copied</c> at the end, holding the VM).</summary>
    public bool ToPeer { get; init; }

    /// <summary>To another host: the VM was deleted here because that host took it.</summary>
    public bool Taken { get; set; }

    public bool Active => Status.Status is "copying" or "switching" or "copied";

    public void Set(Func<StorageMigrationStatusDto, StorageMigrationStatusDto> change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            var next = change(_status);
            _status = next with { Version = _status.Version + 1 };
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Completes when the status has a version above <paramref name="after"/>, or after <paramref name="wait"/>.</summary>
    public async Task<StorageMigrationStatusDto> WaitAsync(long after, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
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
}
