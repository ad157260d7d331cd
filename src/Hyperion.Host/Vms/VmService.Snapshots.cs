using System.Globalization;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Host.Vms;

/// <summary>
/// Snapshots: internal qcow2 snapshots of every disk of a VM under one tag, and for a running VM optionally its memory
/// (QEMU's snapshot-save, the state stored in the first disk). The tree lives in <see cref="SnapshotTree"/>. Taken and
/// deleted while the VM runs or not; reverting to a memory snapshot resumes the guest where it was (a powered-off VM
/// starts from it, <c>-loadvm</c>), reverting to a disk-only one leaves the VM powered off on those disks.
/// </summary>
internal sealed partial class VmService
{
    private const int MaxSnapshotNameLength = 80;

    public SnapshotTreeDto ListSnapshots(string idOrName) => SnapshotTree.Load(Find(idOrName).FolderPath).ToDto();

    public async Task<SnapshotDto> CreateSnapshotAsync(string idOrName, SnapshotCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxSnapshotNameLength || request.Name.Any(char.IsControl))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"name must be 1–{MaxSnapshotNameLength} printable characters", "name"));
        }

        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "snapshot");
            var devices = SnapshotDevices(entry);
            var tree = SnapshotTree.Load(entry.FolderPath);
            if (tree.Snapshots.Any(s => s.Name == request.Name))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"VM '{entry.Spec.Name}' already has a snapshot '{request.Name}'", "name"));
            }

            var (state, instance) = PowerStateOf(entry);
            var tag = SnapshotTree.Tag(tree.NextId);
            if (state == VmPowerState.PoweredOff)
            {
                if (request.Memory)
                {
                    throw new DomainException(new DomainError(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is powered off: there is no memory to snapshot (take a disk snapshot)", "memory"));
                }

                await OnEachDiskAsync(entry, disk => _qemuImg.SnapshotCreateAsync(disk, tag, cancellationToken), tag);
            }
            else
            {
                var snapshots = LiveSnapshots(entry, instance);
                var stops = request.Memory && state == VmPowerState.PoweredOn ? 2 : 0;
                try
                {
                    // snapshot-save stops a running guest and resumes it: not a suspend the supervisor should record.
                    Interlocked.Add(ref entry.SelfPauseEvents, stops);
                    await snapshots.SaveSnapshotAsync(tag, devices, request.Memory, cancellationToken);
                }
                catch (Exception ex) when (ex is QmpCommandException or TimeoutException or InvalidOperationException)
                {
                    Interlocked.Add(ref entry.SelfPauseEvents, -stops);
                    // Whatever part of it was written goes again; the VM is as it was.
                    await TryDeleteTagAsync(snapshots, tag, devices);
                    throw new DomainException(ErrorCodes.HypervisorError, $"VM '{entry.Spec.Name}': QEMU could not take snapshot '{request.Name}': {ex.Message}");
                }
            }

            var snapshot = tree.Add(request.Name, request.Description, request.Memory, VmDtoMapper.ToDto(entry).PowerState, _time.GetUtcNow());
            tree.Save(entry.FolderPath);
            _events.Publish(EventTypes.VmSnapshotCreated, $"snapshot '{snapshot.Name}' taken ({(snapshot.Memory ? "disks and memory" : "disks")})", entry.Id, entry.Spec.Name);
            return snapshot;
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    public async Task<VmDto> RevertSnapshotAsync(string idOrName, string snapshotIdOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "revert");
            var devices = SnapshotDevices(entry);
            var tree = SnapshotTree.Load(entry.FolderPath);
            var snapshot = tree.Find(snapshotIdOrName, entry.Spec.Name);
            var tag = SnapshotTree.Tag(snapshot.Id);
            var (state, instance) = PowerStateOf(entry);
            if (snapshot.Memory && state != VmPowerState.PoweredOff)
            {
                var stops = state == VmPowerState.PoweredOn ? 2 : 0;
                try
                {
                    Interlocked.Add(ref entry.SelfPauseEvents, stops);
                    await LiveSnapshots(entry, instance).LoadSnapshotAsync(tag, devices, cancellationToken);
                }
                catch (Exception ex) when (ex is QmpCommandException or TimeoutException or InvalidOperationException)
                {
                    Interlocked.Add(ref entry.SelfPauseEvents, -stops);
                    throw new DomainException(ErrorCodes.HypervisorError, $"VM '{entry.Spec.Name}': QEMU could not revert to snapshot '{snapshot.Name}': {ex.Message}");
                }
            }
            else
            {
                // The current state is discarded, as vSphere does: a disk-only snapshot leaves the VM powered off.
                if (state != VmPowerState.PoweredOff)
                {
                    await PowerOffAsync(entry, cancellationToken);
                }

                if (snapshot.Memory)
                {
                    await StartQemuAsync(entry, cancellationToken, loadSnapshot: tag);
                }
                else
                {
                    await OnEachDiskAsync(entry, disk => _qemuImg.SnapshotApplyAsync(disk, tag, cancellationToken), tag: null);
                }
            }

            tree.CurrentId = snapshot.Id;
            tree.Save(entry.FolderPath);
            _events.Publish(EventTypes.VmSnapshotReverted, $"reverted to snapshot '{snapshot.Name}'", entry.Id, entry.Spec.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    public async Task DeleteSnapshotAsync(string idOrName, string snapshotIdOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "delete a snapshot of");
            var devices = SnapshotDevices(entry);
            var tree = SnapshotTree.Load(entry.FolderPath);
            var snapshot = tree.Find(snapshotIdOrName, entry.Spec.Name);
            var tag = SnapshotTree.Tag(snapshot.Id);
            var (state, instance) = PowerStateOf(entry);
            if (state == VmPowerState.PoweredOff)
            {
                await OnEachDiskAsync(entry, disk => _qemuImg.SnapshotDeleteAsync(disk, tag, cancellationToken), tag: null);
            }
            else
            {
                try
                {
                    await LiveSnapshots(entry, instance).DeleteSnapshotAsync(tag, devices, cancellationToken);
                }
                catch (Exception ex) when (ex is QmpCommandException or TimeoutException)
                {
                    throw new DomainException(ErrorCodes.HypervisorError, $"VM '{entry.Spec.Name}': QEMU could not delete snapshot '{snapshot.Name}': {ex.Message}");
                }
            }

            // Internal snapshots stand alone: the others (its children too) stay valid; the tree closes over the gap.
            tree.Remove(snapshot);
            tree.Save(entry.FolderPath);
            _events.Publish(EventTypes.VmSnapshotDeleted, $"snapshot '{snapshot.Name}' deleted", entry.Id, entry.Spec.Name);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>A disk copy (storage or shared-nothing migration) would not carry internal snapshots: refused while there are any.</summary>
    private static void RequireNoSnapshots(VmEntry entry, string what)
    {
        var count = SnapshotTree.Load(entry.FolderPath).Snapshots.Count;
        if (count > 0)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"VM '{entry.Spec.Name}' has {count} snapshot(s), which {what} would not keep: delete them first");
        }
    }

    /// <summary>The QEMU drive ids of the VM's disks; every one must be qcow2 (raw images have no snapshots).</summary>
    private static List<string> SnapshotDevices(VmEntry entry)
    {
        RequireNotTemplate(entry, "snapshotted or reverted");
        var disks = entry.Spec.Disks;
        if (disks.Count == 0)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' has no disk: a snapshot is kept in its qcow2 disks (add one)");
        }

        if (disks.FirstOrDefault(d => d.Format != "qcow2") is { } raw)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"disk '{raw.Path}' of VM '{entry.Spec.Name}' is {raw.Format}: only qcow2 disks keep snapshots");
        }

        return disks.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"drive-disk{i}")).ToList();
    }

    private static (VmPowerState State, IVmInstance? Instance) PowerStateOf(VmEntry entry)
    {
        lock (entry.Gate)
        {
            return (entry.PowerState, entry.Instance);
        }
    }

    private static IVmSnapshots LiveSnapshots(VmEntry entry, IVmInstance? instance) =>
        instance is IVmSnapshots { } snapshots && instance.HasMonitor
            ? snapshots
            : throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}': its QEMU cannot take or use snapshots while it runs (no monitor, or a driver without snapshots)");

    /// <summary>
    /// Runs a qemu-img snapshot action on every disk of a powered-off VM. When creating (<paramref name="tag"/> given), a
    /// failure takes the tag off the disks that already got it.
    /// </summary>
    private async Task OnEachDiskAsync(VmEntry entry, Func<string, Task> action, string? tag)
    {
        var done = new List<string>();
        try
        {
            foreach (var disk in entry.Spec.Disks)
            {
                var path = ResolveDiskPath(entry, disk);
                await action(path);
                done.Add(path);
            }
        }
        catch (QemuImgException ex)
        {
            if (tag is not null)
            {
                foreach (var path in done)
                {
                    try
                    {
                        await _qemuImg.SnapshotDeleteAsync(path, tag, CancellationToken.None);
                    }
                    catch (QemuImgException)
                    {
                        // Left behind: an unused tag costs only space.
                    }
                }
            }

            throw new DomainException(ErrorCodes.HypervisorError, $"VM '{entry.Spec.Name}': qemu-img failed on its disks: {ex.Message}");
        }
    }

    private static async Task TryDeleteTagAsync(IVmSnapshots snapshots, string tag, IReadOnlyList<string> devices)
    {
        foreach (var device in devices)
        {
            try
            {
                await snapshots.DeleteSnapshotAsync(tag, [device], CancellationToken.None);
            }
            catch (Exception ex) when (ex is QmpCommandException or TimeoutException)
            {
                // Not on this disk.
            }
        }
    }
}
