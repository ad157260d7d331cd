using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Migrations;
using Hyperion.Domain.Datastores;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Host.Datastores;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Qmp;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Shared-nothing migration (host and storage at once, for a VM on a datastore the destination cannot reach), the way
/// libvirt does it with QEMU. Destination: creates the VM's folder on its datastore from the source's configuration,
/// with empty disks of the same sizes, starts the paused incoming QEMU on them and exports them over NBD. Source:
/// mirrors every disk into the export while the guest runs (<c>mirroring</c>), then sends the memory with the mirrors
/// still following every write; QEMU stops at <c>pre-switchover</c> with the guest paused and the disks active, the
/// mirrors are ended there (the copies are then exact), and the migration completes. The destination stops the NBD
/// export before it runs the guest; the source deletes its folder only at switch-over, once the destination runs the
/// VM. Until then a failure only throws the destination's folder away.
/// </summary>
internal sealed partial class VmService
{
    private static readonly TimeSpan MirrorEndTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The run-directory file naming the folder a shared-nothing arrival created (deleted if the arrival is abandoned).</summary>
    private const string ArrivingFolderFile = "arriving-folder";

    /// <summary>What a shared-nothing destination needs: the configuration, each disk's virtual size, their allocation.</summary>
    public async Task<MigrationSourceDto> MigrationSourceAsync(string idOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        RequireNoSnapshots(entry, "a copy of its disks on another host");
        RequireStandalone(entry, "a copy of its disks on another host");
        var (sizes, allocated) = await MovableDisksAsync(entry, cancellationToken);
        var config = await File.ReadAllTextAsync(Path.Combine(entry.FolderPath, VmFolder.ConfigFile), cancellationToken);
        return new MigrationSourceDto(config, sizes, allocated);
    }

    /// <summary>
    /// The VM's disks as another host will receive them: each one's virtual size and, in all, what the copies take
    /// (qcow2 copies only what is allocated). A disk outside the VM's folder cannot move with it: refused.
    /// </summary>
    private async Task<(List<long> Sizes, long Allocated)> MovableDisksAsync(VmEntry entry, CancellationToken cancellationToken)
    {
        var sizes = new List<long>();
        long allocated = 0;
        foreach (var disk in entry.Spec.Disks)
        {
            if (!DatastorePaths.TryResolveInside(entry.FolderPath, disk.Path, out _))
            {
                throw new DomainException(ErrorCodes.MigrationIncompatible, $"disk '{disk.Path}' of VM '{entry.Spec.Name}' is outside its folder: it cannot move with it");
            }

            var info = await _qemuImg.InfoAsync(ResolveDiskPath(entry, disk), cancellationToken);
            sizes.Add(info.VirtualSizeBytes);
            allocated += disk.Format == "raw" ? info.VirtualSizeBytes : info.ActualSizeBytes ?? info.VirtualSizeBytes;
        }

        return (sizes, allocated);
    }

    /// <summary>Destination, before anything is created: the configuration sent, the folder free, room for the disks.</summary>
    private static VmSpec ParseArrivingConfig(MigrationIncomingRequest request, Datastore datastore, string folderPath)
    {
        VmSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<VmSpec>(request.Config!, JsonDefaults.Indented)
                ?? throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "config is empty", "config"));
        }
        catch (JsonException ex)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"config is not a VM configuration: {ex.Message}", "config"));
        }

        if (request.DiskSizes is not { } sizes || sizes.Count != spec.Disks.Count || sizes.Any(s => s <= 0))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"diskSizes must give the size of each of the VM's {spec.Disks.Count} disk(s)", "diskSizes"));
        }

        foreach (var disk in spec.Disks)
        {
            if (!DatastorePaths.TryResolveInside(folderPath, disk.Path, out _))
            {
                throw new DomainException(ErrorCodes.MigrationIncompatible, $"disk '{disk.Path}' of VM '{spec.Name}' is outside its folder");
            }
        }

        if (Directory.Exists(folderPath) || File.Exists(folderPath))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmDuplicateName, $"datastore '{datastore.Name}' already has a folder '{request.Folder}'", "datastore"));
        }

        Directory.CreateDirectory(datastore.Path);
        var needed = request.AllocatedBytes + (request.AllocatedBytes / 20);
        var free = new DriveInfo(datastore.Path).AvailableFreeSpace;
        if (needed > free)
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{datastore.Name}' has {free / (1024 * 1024)} MiB free; VM '{spec.Name}' needs {needed / (1024 * 1024)} MiB", "datastore"));
        }

        return spec;
    }

    /// <summary>Destination: the VM's folder with its configuration and empty disks, remembered in the run directory until the arrival finishes.</summary>
    private async Task CreateArrivingFolderAsync(VmEntry entry, MigrationIncomingRequest request, CancellationToken cancellationToken)
    {
        var run = Path.GetDirectoryName(entry.Paths.QmpSocket)!;
        Directory.CreateDirectory(run);
        await File.WriteAllTextAsync(Path.Combine(run, ArrivingFolderFile), entry.FolderPath, cancellationToken);
        Directory.CreateDirectory(entry.FolderPath);
        VmFolder.Save(entry.FolderPath, entry.Spec);
        for (var i = 0; i < entry.Spec.Disks.Count; i++)
        {
            var disk = entry.Spec.Disks[i];
            var path = ResolveDiskPath(entry, disk);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await _qemuImg.CreateAsync(path, disk.Format, request.DiskSizes![i], cancellationToken: cancellationToken);
        }
    }

    /// <summary>Destination: the incoming QEMU serves its disks over NBD on the migration address (a free port).</summary>
    private async Task<IReadOnlyList<string>> ExportArrivingDisksAsync(IVmInstance instance, VmSpec spec, string listen, bool tls, CancellationToken cancellationToken)
    {
        var export = instance as IVmDiskExport
            ?? throw new DomainException(ErrorCodes.MigrationIncompatible, "this host's VM driver cannot receive disks (shared-nothing migration)");
        var devices = spec.Disks.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"drive-disk{i}")).ToList();
        var address = IPAddress.Parse(listen);
        for (var attempt = 1; ; attempt++)
        {
            // The port is picked here and handed to QEMU; another process may take it in between: try again.
            int port;
            using (var probe = new TcpListener(address, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            try
            {
                await export.StartDiskExportAsync(listen, port, devices, tls, cancellationToken);
                var host = listen.Contains(':', StringComparison.Ordinal) ? $"[{listen}]" : listen;
                return devices.Select(d => string.Create(CultureInfo.InvariantCulture, $"nbd://{host}:{port}/{d}")).ToList();
            }
            catch (QmpCommandException ex) when (attempt < 5 && ex.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
                LogExportPortTaken(_logger, port);
            }
        }
    }

    /// <summary>
    /// Destination: appends a piece of the VM's serial log (sent by the Center from the source) to the arriving
    /// folder's, so the console history continues. <paramref name="offset"/> must be the log's current length.
    /// </summary>
    public async Task<long> AppendIncomingSerialLogAsync(string migrationId, long offset, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var incoming = FindIncoming(migrationId);
        await incoming.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!incoming.OwnsFolder || incoming.Done)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"incoming migration {migrationId} takes no serial log ({(incoming.Done ? "finished" : "shared storage: the log is already there")})");
            }

            var path = Path.Combine(incoming.FolderPath, VmFolder.SerialLogFile);
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            if (file.Length != offset)
            {
                throw new DomainException(new DomainError(ErrorCodes.MigrationInvalidState, string.Create(CultureInfo.InvariantCulture, $"the arriving serial log has {file.Length} bytes, not {offset}"), "offset"));
            }

            await content.CopyToAsync(file, cancellationToken);
            return file.Length;
        }
        finally
        {
            incoming.Lock.Release();
        }
    }

    /// <summary>Source: starts one mirror per disk into the destination's exports; on any refusal the started ones are cancelled.</summary>
    private async Task StartMirrorsAsync(VmEntry entry, IVmInstance instance, OutgoingMigration migration, CancellationToken cancellationToken)
    {
        var targets = migration.Request.DiskTargets!;
        if (instance is not IVmStorageMotion live)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"this host's VM driver cannot mirror the disks of VM '{entry.Spec.Name}'");
        }

        if (targets.Count != entry.Spec.Disks.Count || targets.Any(t => !t.StartsWith("nbd://", StringComparison.Ordinal)))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"diskTargets must give one nbd:// URI for each of the VM's {entry.Spec.Disks.Count} disk(s)", "diskTargets"));
        }

        if (migration.Request.Postcopy)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "post-copy cannot be combined with a shared-nothing migration", "postcopy"));
        }

        var bandwidth = migration.Request.BandwidthMiBps > 0 ? migration.Request.BandwidthMiBps * 1024L * 1024L : (long?)null;
        try
        {
            if (migration.Request.Tls is { } tls)
            {
                // The disks go over TLS with the same client certificate as the memory stream; QEMU reads it at once.
                try
                {
                    await live.UseNbdTlsAsync(WriteMigrationTls(entry.Paths, tls, "client"), cancellationToken);
                }
                finally
                {
                    DeleteMigrationTls(entry.Paths);
                }
            }

            for (var i = 0; i < targets.Count; i++)
            {
                var job = string.Create(CultureInfo.InvariantCulture, $"sn-disk{i}");
                await live.StartNbdMirrorAsync(job, string.Create(CultureInfo.InvariantCulture, $"drive-disk{i}"), targets[i], bandwidth, migration.Request.Tls?.Hostname, cancellationToken);
                migration.MirrorJobs.Add(job);
            }
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
        {
            await AbandonMirrorsAsync(instance, migration);
            throw new DomainException(ErrorCodes.MigrationFailed, $"VM '{entry.Spec.Name}': QEMU could not mirror its disks to the destination: {ex.Message}");
        }
    }

    /// <summary>
    /// Source: waits until every mirror is in sync, then starts QEMU's migration (stopping at pre-switchover).
    /// False when the migration ended here (cancelled, failed, out of time): the VM runs on, the mirrors are gone.
    /// </summary>
    private async Task<bool> MirrorThenMigrateAsync(VmEntry entry, IVmInstance instance, OutgoingMigration migration, DateTimeOffset deadline)
    {
        var live = (IVmStorageMotion)instance;
        var ct = migration.Cancellation.Token;
        try
        {
            while (true)
            {
                if (_time.GetUtcNow() >= deadline)
                {
                    migration.CancelReason ??= $"the disks were not copied within {migration.Request.TimeLimitSeconds} s: cancelled, the VM keeps running here";
                    throw new OperationCanceledException();
                }

                var ours = (await live.QueryBlockJobsAsync(ct)).Where(j => migration.MirrorJobs.Contains(j.Id)).ToList();
                if (ours.FirstOrDefault(j => j.Error is not null || j.Status is "aborting" or "concluded" or "null") is { } broken)
                {
                    throw new InvalidOperationException($"disk mirror {broken.Id} to the destination failed: {broken.Error ?? broken.Status}");
                }

                if (ours.Count != migration.MirrorJobs.Count)
                {
                    throw new InvalidOperationException("a disk mirror to the destination disappeared");
                }

                migration.SetDiskProgress(ours.Sum(j => Math.Min(j.Offset, j.Length)), ours.Sum(j => j.Length));
                if (ours.All(j => j.Ready))
                {
                    break;
                }

                await Task.Delay(BlockJobPollInterval, _time, ct);
            }

            ct.ThrowIfCancellationRequested();
            try
            {
                await instance.StartMigrationAsync(migration.Uri, SettingsFor(migration.Request, entry.Paths) with { PauseBeforeSwitchover = true }, CancellationToken.None);
            }
            finally
            {
                DeleteMigrationTls(entry.Paths);
            }

            await ReadBackTlsAsync(instance, migration);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or QmpCommandException or QmpDisconnectedException or TimeoutException)
        {
            await AbandonMirrorsAsync(instance, migration);
            var cancelled = ex is OperationCanceledException;
            var reason = cancelled ? migration.CancelReason ?? "cancelled on request" : $"{ex.Message}; the VM keeps running here";
            migration.SetPhase(cancelled ? "cancelled" : "failed", reason);
            _events.Publish(EventTypes.VmMigrationFailed, $"shared-nothing migration {(cancelled ? "cancelled" : "failed")} while copying the disks: {reason}", entry.Id, entry.Spec.Name);
            return false;
        }
    }

    /// <summary>
    /// Source, at pre-switchover (guest paused, disks active): each mirror writes what the destination still lacks and
    /// ends without pivoting; only if all ended cleanly does the migration go on, otherwise it is cancelled (the VM
    /// resumes here).
    /// </summary>
    private async Task EndMirrorsAtSwitchoverAsync(VmEntry entry, IVmInstance instance, OutgoingMigration migration)
    {
        var live = (IVmStorageMotion)instance;
        string? failure = null;
        try
        {
            foreach (var job in migration.MirrorJobs)
            {
                await live.DetachMirrorAsync(job, CancellationToken.None);
            }

            var started = _time.GetTimestamp();
            while (true)
            {
                var ours = (await live.QueryBlockJobsAsync(CancellationToken.None)).Where(j => migration.MirrorJobs.Contains(j.Id)).ToList();
                if (ours.FirstOrDefault(j => j.Error is not null) is { } broken)
                {
                    failure = $"disk mirror {broken.Id} failed at switch-over: {broken.Error}";
                    break;
                }

                if (ours.All(j => j.Status is "concluded" or "null"))
                {
                    break;
                }

                if (_time.GetElapsedTime(started) > MirrorEndTimeout)
                {
                    failure = $"the disk mirrors did not finish within {MirrorEndTimeout.TotalSeconds} s at switch-over";
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5), _time, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is QmpCommandException or TimeoutException)
        {
            failure = $"the disk mirrors could not be ended at switch-over: {ex.Message}";
        }

        if (failure is null)
        {
            foreach (var job in migration.MirrorJobs)
            {
                await TryAsync(() => live.DismissJobAsync(job, CancellationToken.None));
            }

            await ReleaseMirrorTargetsAsync(live, migration);
            migration.MirrorJobs.Clear();
            await live.ContinueMigrationAsync(CancellationToken.None);
            return;
        }

        LogMirrorEndFailed(_logger, entry.Id, failure);
        migration.CancelReason = $"{failure}; the VM keeps running here";
        await TryAsync(() => instance.CancelMigrationAsync(CancellationToken.None));
    }

    /// <summary>Source: cancels whatever mirrors are left (forced) and forgets them; the VM keeps its own disks.</summary>
    private async Task AbandonMirrorsAsync(IVmInstance instance, OutgoingMigration migration)
    {
        if (instance is not IVmStorageMotion live || migration.MirrorJobs.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var job in migration.MirrorJobs)
            {
                await TryAsync(() => live.CancelBlockJobAsync(job, CancellationToken.None));
            }

            var started = _time.GetTimestamp();
            while (_time.GetElapsedTime(started) < TimeSpan.FromSeconds(10)
                && (await live.QueryBlockJobsAsync(CancellationToken.None)).Any(j => migration.MirrorJobs.Contains(j.Id) && j.Status is not ("concluded" or "null")))
            {
                await Task.Delay(BlockJobPollInterval, _time, CancellationToken.None);
            }

            foreach (var job in migration.MirrorJobs)
            {
                await TryAsync(() => live.DismissJobAsync(job, CancellationToken.None));
            }

            await ReleaseMirrorTargetsAsync(live, migration);
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
        {
            // QEMU is gone or busy: nothing of the mirrors outlives it.
        }

        migration.MirrorJobs.Clear();
    }

    /// <summary>Source: the NBD target nodes and TLS credentials of TLS mirrors go once their jobs are gone.</summary>
    private static async Task ReleaseMirrorTargetsAsync(IVmStorageMotion live, OutgoingMigration migration)
    {
        if (migration.Request.Tls is null)
        {
            return;
        }

        foreach (var job in migration.MirrorJobs)
        {
            await TryAsync(() => live.ReleaseNbdTargetAsync(job, CancellationToken.None));
        }

        await TryAsync(() => live.UseNbdTlsAsync(null, CancellationToken.None));
    }

    private static VmMigrationSettings SettingsFor(MigrationStartRequest request, Hypervisor.Qemu.Launch.QemuRuntimePaths paths) => new()
    {
        DowntimeLimit = TimeSpan.FromMilliseconds(request.DowntimeLimitMs),
        BandwidthBytesPerSecond = request.BandwidthMiBps > 0 ? request.BandwidthMiBps * 1024L * 1024L : null,
        Postcopy = request.Postcopy,
        TlsDirectory = request.Tls is { } tls ? WriteMigrationTls(paths, tls, "client") : null,
        TlsHostname = request.Tls?.Hostname,
    };

    /// <summary>
    /// Writes one migration's TLS credentials where QEMU's tls-creds-x509 reads them (<c>ca-cert.pem</c>,
    /// <c>ROLE-cert.pem</c>, <c>ROLE-key.pem</c>) in the VM's run directory, readable by root only.
    /// </summary>
    private static string WriteMigrationTls(Hypervisor.Qemu.Launch.QemuRuntimePaths paths, MigrationTlsDto tls, string role)
    {
        var dir = MigrationTlsDirectory(paths);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(dir, "ca-cert.pem"), tls.CaPem);
        File.WriteAllText(Path.Combine(dir, $"{role}-cert.pem"), tls.CertificatePem);
        var key = Path.Combine(dir, $"{role}-key.pem");
        File.WriteAllText(key, string.Empty);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(key, tls.KeyPem);
        return dir;
    }

    private static string MigrationTlsDirectory(Hypervisor.Qemu.Launch.QemuRuntimePaths paths) =>
        Path.Combine(Path.GetDirectoryName(paths.QmpSocket)!, "migration-tls");

    private static void DeleteMigrationTls(Hypervisor.Qemu.Launch.QemuRuntimePaths paths)
    {
        var dir = MigrationTlsDirectory(paths);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Records whether QEMU really sends the stream over TLS.</summary>
    private static async Task ReadBackTlsAsync(IVmInstance instance, OutgoingMigration migration)
    {
        if (instance is Hypervisor.Qemu.QemuVmInstance qemu)
        {
            try
            {
                migration.Tls = await qemu.MigrationUsesTlsAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
            {
                // Unknown: reported as not encrypted.
            }
        }
    }

    /// <summary>A VM's folder it no longer uses (its files were copied elsewhere and it runs from the copy); kept, and logged, if it cannot go.</summary>
    private void DeleteOldFolder(string vmId, string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogOldFolderKept(_logger, vmId, folder, ex.Message);
        }
    }

    private static string? ArrivingFolderOf(string runDirectory)
    {
        var file = Path.Combine(runDirectory, ArrivingFolderFile);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>The arrival finished: its folder is the VM's now, never to be cleaned as abandoned.</summary>
    /// <summary>
    /// Destination of a powered-off VM's shared-nothing move: the source has written every disk (its export is stopped
    /// already); the QEMU that served them quits (flushing the images) and the VM is registered here, powered off.
    /// </summary>
    private async Task<MigrationFinishedDto> FinishPoweredOffArrivalAsync(string migrationId, IncomingMigration incoming, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await incoming.Instance.QuitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await incoming.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(30), _time, cancellationToken);
        await incoming.Instance.DisposeAsync();
        var entry = await RegisterArrivalAsync(migrationId, incoming, running: false, cancellationToken);
        DeleteRunDirectory(entry.Paths);
        _events.Publish(EventTypes.VmMigratedIn, "arrived powered off by a shared-nothing migration (its disks were copied here)", entry.Id, entry.Spec.Name);
        return new MigrationFinishedDto(VmDtoMapper.ToDto(entry), (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void ForgetArrivingFolder(Hypervisor.Qemu.Launch.QemuRuntimePaths paths) =>
        File.Delete(Path.Combine(Path.GetDirectoryName(paths.QmpSocket)!, ArrivingFolderFile));

    /// <summary>A copy that will not be used (a failed storage migration's, an abandoned arrival's); kept, and logged, if it cannot go.</summary>
    private void DeletePartialCopy(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCopyKept(_logger, folder, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NBD export port {Port} was taken before QEMU could listen on it: trying another")]
    private static partial void LogExportPortTaken(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: {Failure}")]
    private static partial void LogMirrorEndFailed(ILogger logger, string vmId, string failure);
}
