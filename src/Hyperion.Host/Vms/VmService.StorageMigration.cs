using Hyperion.Contracts.Events;
using Hyperion.Contracts.Migrations;
using Hyperion.Domain.Datastores;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Qemu.Qmp;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Storage vMotion: moves a VM's folder to another datastore of this host. Running: each disk is mirrored by QEMU
/// (<c>drive-mirror</c>, sync full, into an empty image of the same format and size) while the guest keeps writing;
/// when every mirror is in sync the guest is paused for a few milliseconds to move its serial log
/// (<c>chardev-change</c>), then each mirror pivots onto its copy (<c>block-job-complete</c>) and the old folder is
/// deleted. Powered off: the disks are copied with qemu-img. Until the pivot nothing about the VM changes, so a
/// failure or a cancel only deletes the partial copy.
/// </summary>
internal sealed partial class VmService
{
    private static readonly TimeSpan BlockJobPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PivotTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a powered-off VM whose disks were copied to another host stays held for that host to take it.</summary>
    private static readonly TimeSpan CopiedHoldLimit = TimeSpan.FromMinutes(10);

    public async Task<StorageMigrationStatusDto> StartStorageMigrationAsync(string idOrName, StorageMigrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.DiskTargets is not null)
        {
            return await StartCopyToPeerAsync(idOrName, request, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(request.Datastore))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "datastore is required: the datastore to move the VM's files to", "datastore"));
        }

        if (request.BandwidthMiBps < 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "bandwidthMiBps must not be negative (0: not throttled)", "bandwidthMiBps"));
        }

        var entry = Find(idOrName);
        var target = _datastores.Get(request.Datastore);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "move the storage of");
            RequireNoSnapshots(entry, "a copy of its disks");
            RequireStandalone(entry, "a copy of its disks");
            if (target.Name == entry.Registration.Datastore)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"VM '{entry.Spec.Name}' is already on datastore '{target.Name}'", "datastore"));
            }

            if (!DatastorePaths.TryResolveInside(target.Path, entry.Registration.Folder, out var targetFolder))
            {
                throw new DomainException(ErrorCodes.DatastorePathEscapes, $"folder '{entry.Registration.Folder}' cannot be placed inside datastore '{target.Name}'");
            }

            if (Directory.Exists(targetFolder) || File.Exists(targetFolder))
            {
                throw new DomainException(new DomainError(ErrorCodes.VmDuplicateName, $"datastore '{target.Name}' already has a folder '{entry.Registration.Folder}'", "datastore"));
            }

            foreach (var disk in entry.Spec.Disks)
            {
                if (!DatastorePaths.TryResolveInside(entry.FolderPath, disk.Path, out _))
                {
                    throw new DomainException(ErrorCodes.MigrationIncompatible, $"disk '{disk.Path}' of VM '{entry.Spec.Name}' is outside its folder: it cannot move with it");
                }
            }

            IVmStorageMotion? live = null;
            lock (entry.Gate)
            {
                if (entry.PowerState == VmPowerState.PoweredOn && entry.Instance is { HasMonitor: true } running)
                {
                    live = running as IVmStorageMotion
                        ?? throw new DomainException(ErrorCodes.MigrationIncompatible, $"this host's VM driver cannot move the storage of a running VM ('{entry.Spec.Name}')");
                }
                else if (entry.PowerState != VmPowerState.PoweredOff)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is {VmDtoMapper.Describe(entry.PowerState)}: resume it or power it off to move its storage");
                }
            }

            // Room for the copies: every disk's allocated size (qcow2 copies only what is allocated) plus 5 %.
            long needed = 0;
            var sizes = new List<long>();
            foreach (var disk in entry.Spec.Disks)
            {
                var info = await _qemuImg.InfoAsync(ResolveDiskPath(entry, disk), cancellationToken);
                sizes.Add(info.VirtualSizeBytes);
                needed += disk.Format == "raw" ? info.VirtualSizeBytes : info.ActualSizeBytes ?? info.VirtualSizeBytes;
            }

            needed += needed / 20;
            var free = new DriveInfo(target.Path).AvailableFreeSpace;
            if (needed > free)
            {
                throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{target.Name}' has {free / (1024 * 1024)} MiB free; VM '{entry.Spec.Name}' needs {needed / (1024 * 1024)} MiB", "datastore"));
            }

            var motion = new StorageMotion(target.Name, entry.Registration.Folder);
            entry.StorageMotion = motion;
            var bandwidth = request.BandwidthMiBps > 0 ? request.BandwidthMiBps * 1024L * 1024L : (long?)null;
            _events.Publish(EventTypes.VmMigrationStarted, $"storage migration to datastore '{target.Name}' started ({(live is null ? "powered off: copy" : "running: block mirror")})", entry.Id, entry.Spec.Name);
            _ = Task.Run(() => RunStorageMotionAsync(entry, live, motion, target.Name, targetFolder, sizes, bandwidth), CancellationToken.None);
            return motion.Status;
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    public async Task<StorageMigrationStatusDto> StorageMigrationStatusAsync(string idOrName, long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        var motion = entry.StorageMotion ?? throw new DomainException(ErrorCodes.MigrationNotFound, $"VM '{entry.Spec.Name}' has no storage migration on this host");
        return await motion.WaitAsync(after, wait, _time, cancellationToken);
    }

    public StorageMigrationStatusDto CancelStorageMigration(string idOrName)
    {
        var entry = Find(idOrName);
        var motion = entry.StorageMotion ?? throw new DomainException(ErrorCodes.MigrationNotFound, $"VM '{entry.Spec.Name}' has no storage migration on this host");
        if (motion.Active)
        {
            if (motion.PastPointOfNoReturn)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}': its disks are switching to the copies; the storage migration can no longer be cancelled");
            }

            motion.Cancellation.Cancel();
        }

        return motion.Status;
    }

    private async Task RunStorageMotionAsync(VmEntry entry, IVmStorageMotion? live, StorageMotion motion, string datastore, string targetFolder, List<long> sizes, long? bandwidth)
    {
        var started = _time.GetTimestamp();
        var ct = motion.Cancellation.Token;
        var jobs = new List<string>();
        try
        {
            Directory.CreateDirectory(targetFolder);
            motion.Set(s => s with { TotalBytes = sizes.Sum() });
            if (live is null)
            {
                await CopyColdAsync(entry, motion, targetFolder, ct);
            }
            else
            {
                await MirrorLiveAsync(entry, live, motion, targetFolder, sizes, bandwidth, jobs, ct);
            }

            // The VM now lives in the new folder.
            var oldFolder = entry.FolderPath;
            lock (entry.Gate)
            {
                entry.Registration = _inventory.Move(entry.Id, datastore, entry.Registration.Folder);
                entry.FolderPath = targetFolder;
                entry.Paths = entry.Paths with { SerialLog = Path.Combine(targetFolder, VmFolder.SerialLogFile) };
            }

            DeleteOldFolder(entry.Id, oldFolder);

            var total = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            motion.Set(s => s with { Status = "completed", CopiedBytes = s.TotalBytes, TotalTimeMs = total });
            _events.Publish(EventTypes.VmStorageMigrated, $"storage moved to datastore '{datastore}' in {total} ms" + (motion.Status.StunMs is { } stun ? $" (guest paused {stun} ms)" : string.Empty), entry.Id, entry.Spec.Name);
        }
        catch (Exception ex)
        {
            var cancelled = ex is OperationCanceledException && ct.IsCancellationRequested;
            var reason = cancelled ? "cancelled on request" : ex.Message;
            if (motion.PastPointOfNoReturn)
            {
                // Some disk may already run from the copy: keep both folders, say so.
                motion.Set(s => s with { Status = "failed", Error = $"the switch to the copies failed ({reason}); both folders are kept: check the VM's disks before deleting '{targetFolder}'" });
            }
            else
            {
                await AbandonCopyAsync(live, jobs, targetFolder);
                motion.Set(s => s with { Status = cancelled ? "cancelled" : "failed", Error = $"{reason}; the VM still uses its files on '{entry.Registration.Datastore}', the partial copy was deleted" });
            }

            _events.Publish(EventTypes.VmStorageMigrationFailed, $"storage migration to datastore '{datastore}' {(cancelled ? "cancelled" : "failed")}: {motion.Status.Error}", entry.Id, entry.Spec.Name);
        }
    }

    /// <summary>Source of a powered-off VM's shared-nothing move: its disks are written into the other host's NBD exports.</summary>
    private async Task<StorageMigrationStatusDto> StartCopyToPeerAsync(string idOrName, StorageMigrationRequest request, CancellationToken cancellationToken)
    {
        var targets = request.DiskTargets!;
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "copy the disks of");
            RequireNoSnapshots(entry, "a copy of its disks on another host");
            RequireStandalone(entry, "a copy of its disks on another host");
            if (targets.Count != entry.Spec.Disks.Count || targets.Any(t => !t.StartsWith("nbd://", StringComparison.Ordinal)))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"diskTargets must give one nbd:// URI for each of the {entry.Spec.Disks.Count} disk(s) of VM '{entry.Spec.Name}'", "diskTargets"));
            }

            lock (entry.Gate)
            {
                if (entry.PowerState != VmPowerState.PoweredOff)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is {VmDtoMapper.Describe(entry.PowerState)}: only a powered-off VM's disks are copied to another host this way (a running one migrates live)");
                }
            }

            var (sizes, _) = await MovableDisksAsync(entry, cancellationToken);
            var motion = new StorageMotion(request.Datastore, entry.Registration.Folder) { ToPeer = true };
            entry.StorageMotion = motion;
            _events.Publish(EventTypes.VmMigrationStarted, $"copy of its disks to datastore '{request.Datastore}' of another host started (shared-nothing, powered off)", entry.Id, entry.Spec.Name);
            var bandwidth = request.BandwidthMiBps > 0 ? request.BandwidthMiBps * 1024L * 1024L : (long?)null;
            var tls = request.Tls is { } credentials ? new NbdTls(WriteMigrationTls(entry.Paths, credentials, "client"), credentials.Hostname) : null;
            _ = Task.Run(() => RunCopyToPeerAsync(entry, motion, targets, sizes, bandwidth, tls), CancellationToken.None);
            return motion.Status;
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    private async Task RunCopyToPeerAsync(VmEntry entry, StorageMotion motion, IReadOnlyList<string> targets, List<long> sizes, long? bandwidth, NbdTls? tls)
    {
        var started = _time.GetTimestamp();
        var ct = motion.Cancellation.Token;
        try
        {
            motion.Set(s => s with { TotalBytes = sizes.Sum() });
            try
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    var disk = entry.Spec.Disks[i];
                    await _qemuImg.ConvertIntoNbdAsync(ResolveDiskPath(entry, disk), disk.Format, targets[i], bandwidth, tls, ct);
                    var copied = sizes[i];
                    motion.Set(s => s with { CopiedBytes = s.CopiedBytes + copied });
                }
            }
            finally
            {
                if (tls is not null)
                {
                    // qemu-img read the credentials when it started: the key does not outlive the copy.
                    DeleteMigrationTls(entry.Paths);
                }
            }

            var total = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            motion.Set(s => s with { Status = "copied", TotalTimeMs = total });

            // Held (no power-on here) until the other host takes the VM and it is deleted here, or it is let go.
            await Task.Delay(CopiedHoldLimit, _time, ct);
            motion.Set(s => s with { Status = "cancelled", Error = $"the other host did not take the copy within {CopiedHoldLimit.TotalMinutes} min: the VM stays here" });
        }
        catch (Exception ex)
        {
            var cancelled = ex is OperationCanceledException && ct.IsCancellationRequested;
            if (cancelled && motion.Taken)
            {
                motion.Set(s => s with { Status = "completed" });
                return;
            }

            var copiedAlready = motion.Status.Status == "copied";
            motion.Set(s => s with
            {
                Status = cancelled ? "cancelled" : "failed",
                Error = $"{(cancelled ? copiedAlready ? "let go" : "cancelled on request" : ex.Message)}; the VM stays here with its files",
            });
            _events.Publish(EventTypes.VmStorageMigrationFailed, $"copy of its disks to another host {(cancelled ? "cancelled" : "failed")}: {motion.Status.Error}", entry.Id, entry.Spec.Name);
        }
    }

    private async Task CopyColdAsync(VmEntry entry, StorageMotion motion, string targetFolder, CancellationToken ct)
    {
        foreach (var disk in entry.Spec.Disks)
        {
            var source = ResolveDiskPath(entry, disk);
            var target = Path.Combine(targetFolder, disk.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await _qemuImg.ConvertAsync(source, disk.Format, target, disk.Format, cancellationToken: ct);
            var copied = (await _qemuImg.InfoAsync(target, ct)).VirtualSizeBytes;
            motion.Set(s => s with { CopiedBytes = s.CopiedBytes + copied });
        }

        CopyFolderExtras(entry, targetFolder);
        motion.PastPointOfNoReturn = true;
    }

    private async Task MirrorLiveAsync(VmEntry entry, IVmStorageMotion live, StorageMotion motion, string targetFolder, List<long> sizes, long? bandwidth, List<string> jobs, CancellationToken ct)
    {
        var disks = entry.Spec.Disks;
        for (var i = 0; i < disks.Count; i++)
        {
            var target = Path.Combine(targetFolder, disks[i].Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await _qemuImg.CreateAsync(target, disks[i].Format, sizes[i], cancellationToken: ct);
            var job = $"storage-disk{i}";
            await live.StartDiskMirrorAsync(job, $"drive-disk{i}", target, disks[i].Format, bandwidth, ct);
            jobs.Add(job);
        }

        // Copy until every mirror is in sync; the guest keeps writing, QEMU keeps the copies current.
        while (true)
        {
            var ours = (await live.QueryBlockJobsAsync(ct)).Where(j => jobs.Contains(j.Id)).ToList();
            if (ours.Count != jobs.Count)
            {
                throw new InvalidOperationException($"a disk mirror ended before it was in sync (jobs left: {string.Join(", ", ours.Select(j => j.Id))})");
            }

            if (ours.FirstOrDefault(j => j.Error is not null || j.Status == "aborting") is { } broken)
            {
                throw new InvalidOperationException($"disk mirror {broken.Id} failed: {broken.Error ?? broken.Status}");
            }

            var copied = ours.Sum(j => Math.Min(j.Offset, j.Length));
            var total = ours.Sum(j => j.Length);
            motion.Set(s => s with { CopiedBytes = copied, TotalBytes = Math.Max(total, s.TotalBytes) });
            if (ours.All(j => j.Ready))
            {
                break;
            }

            await Task.Delay(BlockJobPollInterval, _time, ct);
        }

        ct.ThrowIfCancellationRequested();
        motion.PastPointOfNoReturn = true;
        motion.Set(s => s with { Status = "switching" });

        // The serial log follows: copy what is there, pause the guest for the last bytes and the switch, resume.
        var oldLog = Path.Combine(entry.FolderPath, VmFolder.SerialLogFile);
        var newLog = Path.Combine(targetFolder, VmFolder.SerialLogFile);
        var copiedLog = AppendFrom(oldLog, newLog, 0);
        Interlocked.Add(ref entry.SelfPauseEvents, 2);
        var stunStarted = _time.GetTimestamp();
        var paused = false;
        try
        {
            await ((IVmInstance)live).PauseAsync(CancellationToken.None);
            paused = true;
            AppendFrom(oldLog, newLog, copiedLog);
            await live.ChangeSerialLogAsync(entry.Paths.SerialSocket, newLog, CancellationToken.None);
        }
        finally
        {
            if (paused)
            {
                await ((IVmInstance)live).ContinueAsync(CancellationToken.None);
            }
            else
            {
                Interlocked.Add(ref entry.SelfPauseEvents, -2);
            }
        }

        var stun = (long)_time.GetElapsedTime(stunStarted).TotalMilliseconds;
        motion.Set(s => s with { StunMs = stun });

        foreach (var job in jobs)
        {
            await live.CompleteBlockJobAsync(job, CancellationToken.None);
        }

        var pivotStarted = _time.GetTimestamp();
        while ((await live.QueryBlockJobsAsync(CancellationToken.None)).Any(j => jobs.Contains(j.Id)))
        {
            if (_time.GetElapsedTime(pivotStarted) > PivotTimeout)
            {
                throw new TimeoutException($"the disk mirrors did not finish switching within {PivotTimeout.TotalSeconds} s");
            }

            await Task.Delay(BlockJobPollInterval, _time, CancellationToken.None);
        }

        CopyFolderExtras(entry, targetFolder, skipSerialLog: true);
    }

    /// <summary>The VM's configuration and logs (not its disks) into the new folder.</summary>
    private static void CopyFolderExtras(VmEntry entry, string targetFolder, bool skipSerialLog = false)
    {
        VmFolder.Save(targetFolder, entry.Spec);
        foreach (var name in new[] { VmFolder.SerialLogFile, VmFolder.QemuLogFile })
        {
            var source = Path.Combine(entry.FolderPath, name);
            if ((name != VmFolder.SerialLogFile || !skipSerialLog) && File.Exists(source))
            {
                File.Copy(source, Path.Combine(targetFolder, name), overwrite: true);
            }
        }
    }

    /// <summary>Appends the bytes of <paramref name="source"/> from <paramref name="offset"/> to <paramref name="target"/>; returns the new offset.</summary>
    private static long AppendFrom(string source, string target, long offset)
    {
        if (!File.Exists(source))
        {
            return offset;
        }

        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var output = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        input.Seek(offset, SeekOrigin.Begin);
        input.CopyTo(output);
        return input.Position;
    }

    private async Task AbandonCopyAsync(IVmStorageMotion? live, List<string> jobs, string targetFolder)
    {
        if (live is not null && jobs.Count > 0)
        {
            foreach (var job in jobs)
            {
                try
                {
                    await live.CancelBlockJobAsync(job, CancellationToken.None);
                }
                catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
                {
                    // Already gone.
                }
            }

            var waited = _time.GetTimestamp();
            try
            {
                while (_time.GetElapsedTime(waited) < TimeSpan.FromSeconds(10) && (await live.QueryBlockJobsAsync(CancellationToken.None)).Any(j => jobs.Contains(j.Id)))
                {
                    await Task.Delay(BlockJobPollInterval, _time, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
            {
                // QEMU is gone: nothing holds the copies.
            }
        }

        DeletePartialCopy(targetFolder);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: storage moved, but its old folder {Folder} could not be deleted: {Reason}")]
    private static partial void LogOldFolderKept(ILogger logger, string vmId, string folder, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the partial copy {Folder} of a failed migration could not be deleted: {Reason}")]
    private static partial void LogCopyKept(ILogger logger, string folder, string reason);
}
