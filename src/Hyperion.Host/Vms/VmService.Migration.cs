using System.Globalization;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Migrations;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Datastores;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Qemu.Qmp;
using Hyperion.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Live migration, both ends. Source: <see cref="StartMigrationAsync"/> runs QEMU's pre-copy (auto-converge on,
/// post-copy when allowed and needed, cancelled at the time limit) and leaves the VM paused at <c>completed</c>; the
/// Center then tells it to let go (<see cref="SwitchOverAsync"/>) or to take the VM back (<see cref="ResumeAfterMigrationAsync"/>).
/// Destination: <see cref="PrepareIncomingAsync"/> starts a paused QEMU listening for the stream; the Center's
/// <see cref="FinishIncomingAsync"/> runs it and registers it, <see cref="AbortIncomingAsync"/> throws it away.
/// The guest runs on the destination only after its <c>cont</c>, and on the source only while the destination has
/// not been told to run, so it never runs on both.
/// </summary>
internal sealed partial class VmService
{
    private static readonly TimeSpan MigrationPollInterval = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, IncomingMigration> _incoming = new(StringComparer.Ordinal);

    /// <summary>Arrivals that became running VMs here (migration id → VM name), so a late abort is refused, not taken for "gone".</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _arrived = new(StringComparer.Ordinal);

    private static readonly TimeSpan SwitchoverWarmInterval = TimeSpan.FromSeconds(20);

    /// <summary>After a refused cancel (the armed destination could not be told to throw its copy away), the next try.</summary>
    private static readonly TimeSpan CancelRetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Destination: longest wait, after being told to run the guest, for the stream's last bytes (the final pass).</summary>
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Destination, with the arrival's lock held after that wait: how long the stream may still take before it is killed.</summary>
    private static readonly TimeSpan ArrivalDecisionTimeout = TimeSpan.FromSeconds(5);

    public async Task<MigrationStatusDto> StartMigrationAsync(string idOrName, MigrationStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Uri) || !request.Uri.StartsWith("tcp:", StringComparison.Ordinal))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "uri must be tcp:ADDRESS:PORT (from the destination's prepare)", "uri"));
        }

        if (request.DowntimeLimitMs is < 1 or > 60_000 || request.BandwidthMiBps < 0 || request.TimeLimitSeconds is < 1 or > 86_400 || request.PostcopyAfterSeconds < 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "downtimeLimitMs must be 1–60000, bandwidthMiBps ≥ 0, timeLimitSeconds 1–86400, postcopyAfterSeconds ≥ 0"));
        }

        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "migrate");
            IVmInstance instance;
            lock (entry.Gate)
            {
                if (entry.PowerState != VmPowerState.PoweredOn || entry.Instance is not { HasMonitor: true } running)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is {VmDtoMapper.Describe(entry.PowerState)}: only a running VM can be live-migrated (move a powered-off one cold)");
                }

                instance = running;
            }

            var migration = new OutgoingMigration(request.Uri, request, _time.GetUtcNow());
            if (migration.SharedNothing)
            {
                // The disks go first (mirrored while the guest runs); QEMU's migration starts once they are in sync.
                await StartMirrorsAsync(entry, instance, migration, cancellationToken);
            }
            else
            {
                try
                {
                    try
                    {
                        await instance.StartMigrationAsync(request.Uri, SettingsFor(request, entry.Paths), cancellationToken);
                    }
                    finally
                    {
                        DeleteMigrationTls(entry.Paths);
                    }

                    await ReadBackTlsAsync(instance, migration);
                }
                catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
                {
                    throw new DomainException(ErrorCodes.MigrationFailed, $"VM '{entry.Spec.Name}': QEMU refused to start the migration: {ex.Message}");
                }
            }

            entry.Migration = migration;
            _events.Publish(EventTypes.VmMigrationStarted, migration.SharedNothing ? $"shared-nothing migration to {request.Uri} started: mirroring {migration.MirrorJobs.Count} disk(s)" : $"live migration to {request.Uri} started", entry.Id, entry.Spec.Name);
            _ = Task.Run(() => RunOutgoingAsync(entry, instance, migration), CancellationToken.None);
            return migration.Status;
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>The migrations under way here, both directions (see <see cref="HostMigrationsDto"/>).</summary>
    public HostMigrationsDto ListMigrations()
    {
        lock (_vms)
        {
            var outgoing = _vms.Values.Where(e => e.Migration is { Holds: true })
                .Select(e => new OutgoingMigrationSummaryDto(e.Id, e.Spec.Uuid.ToString("D"), e.Migration!.Status.Status)).ToList();
            var incoming = _incoming.Values.Where(i => !i.Done)
                .Select(i => new IncomingMigrationSummaryDto(i.Id, i.Spec.Uuid.ToString("D"))).ToList();
            return new HostMigrationsDto(outgoing, incoming);
        }
    }

    /// <summary>
    /// Agent start: an adopted QEMU may be in the middle of an outgoing migration (or paused at its end) that the
    /// previous agent process was running. It is picked up again (watched as before) so the Center can settle it:
    /// cancel it, let the destination take over, or take the VM back.
    /// </summary>
    private void ResumeWatchingMigration(VmEntry entry, IVmInstance instance, VmMigrationProgress progress, bool paused)
    {
        // QEMU reports its last migration forever: "completed" on a running VM is one that was taken back long ago.
        if (progress.Status is "none" or "failed" or "cancelled" || (progress.Status == "completed" && !paused))
        {
            return;
        }

        var migration = new OutgoingMigration("tcp:unknown", new MigrationStartRequest("tcp:unknown"), _time.GetUtcNow());
        migration.Update(progress);
        entry.Migration = migration;
        LogMigrationAdopted(_logger, entry.Id, progress.Status);
        _events.Publish(EventTypes.VmMigrationStarted, $"found migrating ({progress.Status}) when the agent started: watched again until the Center settles it", entry.Id, entry.Spec.Name);
        if (!progress.IsFinished)
        {
            _ = Task.Run(() => RunOutgoingAsync(entry, instance, migration), CancellationToken.None);
        }
    }

    public async Task<MigrationStatusDto> MigrationStatusAsync(string idOrName, long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        var migration = entry.Migration ?? throw new DomainException(ErrorCodes.MigrationNotFound, $"VM '{entry.Spec.Name}' has no migration on this host");
        return await migration.WaitAsync(after, wait, _time, cancellationToken);
    }

    public async Task<MigrationStatusDto> CancelMigrationAsync(string idOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        var migration = entry.Migration ?? throw new DomainException(ErrorCodes.MigrationNotFound, $"VM '{entry.Spec.Name}' has no migration on this host");
        var status = migration.Status.Status;
        if (status is "completed" or "postcopy-active" or "switched" || migration.PostcopyStarted)
        {
            throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}': the migration is past switch-over ({status}); it can no longer be cancelled");
        }

        if (migration.Holds && entry.Instance is { } instance)
        {
            // Armed: the destination runs the guest as its stream ends; it must throw its copy away first.
            switch (await RequestCancelAsync(migration, "cancelled on request", goAheadUnanswered: false, cancellationToken))
            {
                case ArrivalAbort.RunsThere:
                    throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}': the migration is past switch-over (the guest runs on the destination); it can no longer be cancelled");
                case ArrivalAbort.Unknown:
                    throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}': the destination could not be told to throw its copy away first, so the migration is not cancelled (it is cancelled by itself if the stream stops)");
                default:
                    break;
            }

            await migration.Cancellation.CancelAsync();
            try
            {
                await instance.CancelMigrationAsync(cancellationToken);
            }
            catch (QmpCommandException)
            {
                // Already over: the loop reports how it ended.
            }
        }

        return migration.Status;
    }

    /// <summary>After <c>completed</c>: the destination runs the VM now; stop this paused copy and unregister it (its files stay: shared storage).</summary>
    public async Task SwitchOverAsync(string idOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            var migration = entry.Migration;
            if (migration is null || migration.Status.Status is not ("completed" or "switched"))
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}' has no completed migration to switch over ({migration?.Status.Status ?? "none"})");
            }

            Task exited;
            IVmInstance? instance;
            lock (entry.Gate)
            {
                entry.ExpectedExit = ExpectedExit.MigratedAway;
                exited = entry.Exited.Task;
                instance = entry.Instance;
            }

            if (instance is not null)
            {
                await instance.QuitAsync(QuitGrace, cancellationToken);
                await exited.WaitAsync(cancellationToken);
            }

            migration.SetPhase("switched");
            _ha.MigratedAway[entry.Spec.Uuid] = _time.GetUtcNow();
            await _inventoryLock.WaitAsync(cancellationToken);
            try
            {
                _inventory.Remove(entry.Id);
                lock (_vms)
                {
                    _vms.Remove(entry.Id);
                }
            }
            finally
            {
                _inventoryLock.Release();
            }

            DeleteRunDirectory(entry.Paths);
            if (migration.SharedNothing)
            {
                // Its files were copied to the destination's datastore, where the VM runs now.
                DeleteOldFolder(entry.Id, entry.FolderPath);
            }

            _events.Publish(EventTypes.VmUnregistered, migration.SharedNothing ? "unregistered here and its folder deleted: the VM runs on its new host, from its own copy of the disks" : "unregistered here: the VM runs on its new host", entry.Id, entry.Spec.Name);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>After <c>completed</c>, when the destination could not take over: run the VM here again.</summary>
    public async Task<VmDto> ResumeAfterMigrationAsync(string idOrName, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            var migration = entry.Migration;
            if (migration is null || migration.Status.Status != "completed" || migration.PostcopyStarted)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}' has no completed pre-copy migration to take back ({migration?.Status.Status ?? "none"})");
            }

            if (migration.Arrived is not null)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM '{entry.Spec.Name}' runs on the destination (it confirmed the switch-over): it cannot be taken back here");
            }

            var instance = entry.Instance ?? throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is no longer running here");
            await instance.ContinueAsync(cancellationToken);
            lock (entry.Gate)
            {
                entry.PowerState = VmPowerState.PoweredOn;
            }

            migration.SetPhase("resumed");
            _events.Publish(EventTypes.VmMigrationFailed, "migration rolled back: the destination did not take over, the VM runs here again", entry.Id, entry.Spec.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    public async Task<MigrationIncomingDto> PrepareIncomingAsync(MigrationIncomingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Guid.TryParse(request.Uuid, out var uuid))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "uuid must be the VM's UUID", "uuid"));
        }

        var listen = _options.ResolveMigrationAddress()
            ?? throw new DomainException(ErrorCodes.MigrationIncompatible, "this host listens on every address and has no --migration-address: it cannot receive migrations");
        var datastore = _datastores.Get(request.Datastore);
        if (!DatastorePaths.TryResolveInside(datastore.Path, request.Folder ?? string.Empty, out var folderPath))
        {
            throw new DomainException(ErrorCodes.DatastorePathEscapes, $"'{request.Folder}' is not a folder inside datastore '{datastore.Name}'");
        }

        // Shared storage: the folder is there already. Shared-nothing: it is created here, from the source's configuration.
        var sharedNothing = request.Config is not null;
        if (request.PoweredOff && !sharedNothing)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "poweredOff needs config and diskSizes: only a shared-nothing move copies a powered-off VM's disks", "poweredOff"));
        }

        var spec = sharedNothing ? ParseArrivingConfig(request, datastore, folderPath) : VmFolder.Load(folderPath);
        if (spec.Uuid != uuid)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, sharedNothing
                ? $"the configuration sent is for VM {spec.Uuid}, not {uuid}"
                : $"[{datastore.Name}] {request.Folder} holds VM {spec.Uuid}, not {uuid}: the datastore is not the same storage on both hosts");
        }

        if (!request.PoweredOff && request.CpuModel is { } cpuModel && !_acceleration.CanRun(cpuModel))
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"VM '{spec.Name}' runs with CPU model '{cpuModel}', which this host cannot run with {_acceleration.Decision.Mode}: give the cluster a CPU baseline every host runs, and power-cycle the VM");
        }

        var available = AvailableMemoryMiB();
        if (!request.PoweredOff && available < spec.MemoryMiB)
        {
            throw new DomainException(ErrorCodes.HostNoCapacity, $"this host has {available} MiB of memory available; VM '{spec.Name}' needs {spec.MemoryMiB} MiB");
        }

        foreach (var nic in spec.Nics.Where(n => IsBridge(n.Network)))
        {
            if (!Directory.Exists(Path.Combine("/sys/class/net", nic.Network)))
            {
                throw new DomainException(ErrorCodes.MigrationIncompatible, $"network '{nic.Network}' of VM '{spec.Name}' does not exist on this host");
            }
        }

        await _inventoryLock.WaitAsync(cancellationToken);
        string vmId;
        try
        {
            EnsureNameFree(spec.Name);
            lock (_vms)
            {
                if (_vms.Values.FirstOrDefault(v => v.Spec.Uuid == uuid) is { } existing)
                {
                    throw new DomainException(ErrorCodes.VmAlreadyRegistered, $"VM {uuid} is already registered here as {existing.Id}");
                }

                if (_incoming.Values.Any(i => i.Spec.Uuid == uuid && !i.Done))
                {
                    throw new DomainException(ErrorCodes.MigrationInvalidState, $"VM {uuid} is already arriving here");
                }
            }

            vmId = _inventory.Reserve();
        }
        finally
        {
            _inventoryLock.Release();
        }

        var relative = Path.GetRelativePath(datastore.Path, folderPath);
        var entry = new VmEntry(new VmRegistration(vmId, datastore.Name, relative), folderPath, spec, RuntimePaths(vmId, folderPath));
        IVmInstance? instance = null;
        int port;
        IReadOnlyList<string>? diskTargets = null;
        try
        {
            if (sharedNothing)
            {
                await CreateArrivingFolderAsync(entry, request, cancellationToken);
            }

            // The guest keeps the CPU it has: the source's model, not what this host would give a VM powered on now.
            var launch = ResolvedLaunchConfigFor(entry);
            launch = launch with { CpuModel = request.CpuModel ?? launch.CpuModel };
            if (request.PoweredOff)
            {
                // Only a disk server: the guest never runs in this QEMU, so it needs no NIC (and no tap).
                launch = launch with { Nics = [] };
            }

            foreach (var nic in launch.Nics.Where(n => n.Tap is not null))
            {
                await _taps.CreateAsync(nic.Tap!, nic.Network, cancellationToken);
            }

            var tls = request.Tls is { } credentials ? WriteMigrationTls(entry.Paths, credentials, "server") : null;
            try
            {
                (instance, port) = await _driver.StartIncomingAsync(launch, Path.Combine(folderPath, VmFolder.QemuLogFile), listen, new VmIncomingSettings(request.Postcopy, tls), cancellationToken);
            }
            finally
            {
                // QEMU read the credentials when it created its TLS object: the key need not stay on disk.
                DeleteMigrationTls(entry.Paths);
            }

            if (sharedNothing)
            {
                diskTargets = await ExportArrivingDisksAsync(instance, spec, listen, request.Tls is not null, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is QemuStartException or InvalidOperationException or IOException or UnauthorizedAccessException or QmpCommandException or QmpDisconnectedException or TimeoutException or DomainException)
        {
            if (instance is not null)
            {
                instance.Kill();
                await instance.Exited.WaitAsync(TimeSpan.FromSeconds(10), _time, CancellationToken.None);
                await instance.DisposeAsync();
            }

            DeleteRunDirectory(entry.Paths);
            await _supervisor.DeleteTapsAsync(entry);
            if (sharedNothing)
            {
                DeletePartialCopy(folderPath);
            }

            throw ex is DomainException domain ? domain : new DomainException(ErrorCodes.VmStartFailed, $"VM '{spec.Name}': the destination QEMU did not start: {ex.Message}");
        }

        var incoming = new IncomingMigration($"in-{vmId}", vmId, datastore.Name, relative, folderPath, spec, instance) { OwnsFolder = sharedNothing, DisksExported = diskTargets is not null, PoweredOff = request.PoweredOff };
        lock (_vms)
        {
            _incoming[incoming.Id] = incoming;
        }

        var host = listen.Contains(':', StringComparison.Ordinal) ? $"[{listen}]" : listen;
        LogIncoming(_logger, spec.Name, instance.Pid, port);
        return new MigrationIncomingDto(incoming.Id, string.Create(CultureInfo.InvariantCulture, $"tcp:{host}:{port}")) { DiskTargets = diskTargets, SwitchoverToken = incoming.SwitchoverToken };
    }

    /// <summary>The stream has arrived: run the VM here and register it.</summary>
    public Task<MigrationFinishedDto> FinishIncomingAsync(string migrationId, CancellationToken cancellationToken) =>
        FinishIncomingAsync(migrationId, ArrivalTimeout, cancellationToken);

    /// <param name="streamWait">How long to wait for the stream's end (the source may arm this before its first byte).</param>
    private async Task<MigrationFinishedDto> FinishIncomingAsync(string migrationId, TimeSpan streamWait, CancellationToken cancellationToken)
    {
        var incoming = FindIncoming(migrationId);
        if (!incoming.PoweredOff && !incoming.Done)
        {
            // Wait for the stream's end without the arrival's lock, so an abort can still throw it away meanwhile. A caller
            // that goes away meanwhile takes its switch-over with it (it may have concluded the guest cannot run here).
            try
            {
                await incoming.Instance.WaitForStreamEndAsync(streamWait, cancellationToken);
            }
            catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
            {
                // Decided under the lock below: exited, aborted meanwhile, or not yet complete (then killed: fail closed).
            }
        }

        await incoming.Lock.WaitAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (incoming.Done)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"incoming migration {migrationId} is already finished or aborted");
            }

            if (incoming.Instance.Exited.IsCompleted)
            {
                throw new DomainException(ErrorCodes.MigrationFailed, $"VM '{incoming.Spec.Name}': the destination QEMU has exited (the stream failed)");
            }

            if (incoming.DisksExported && incoming.Instance is IVmDiskExport export)
            {
                // The source ended its mirrors before switch-over: nothing writes to the export any more.
                await export.StopDiskExportAsync(cancellationToken);
                incoming.DisksExported = false;
            }

            if (incoming.PoweredOff)
            {
                return await FinishPoweredOffArrivalAsync(migrationId, incoming, cancellationToken);
            }

            DateTimeOffset? resumedAt;
            try
            {
                // The stream has ended (waited for above): run the guest now.
                resumedAt = await incoming.Instance.RunArrivedGuestAsync(ArrivalDecisionTimeout, CancellationToken.None);
            }
            catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
            {
                // Fail closed: a QEMU told to run its guest once the stream completes must never run it later, after
                // the source has been given the VM back.
                incoming.Instance.Kill();
                await incoming.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(10), _time, CancellationToken.None);
                throw new DomainException(ErrorCodes.MigrationFailed, $"VM '{incoming.Spec.Name}': the destination could not run it: {ex.Message}");
            }

            // The guest runs here now: registering it must finish even if the caller has gone away meanwhile.
            var running = _time.GetTimestamp();
            var entry = await RegisterArrivalAsync(migrationId, incoming, running: true, CancellationToken.None);
            _arrived[migrationId] = entry.Spec.Name;
            ForgetArrivingFolder(entry.Paths);
            _ha.Arrived[entry.Spec.Uuid] = _time.GetUtcNow();
            _supervisor.Start(entry, incoming.Instance);
            _events.Publish(EventTypes.VmMigratedIn, $"arrived by live migration and runs here (pid {incoming.Instance.Pid}, {incoming.Instance.Accelerator})", entry.Id, entry.Spec.Name);
            return new MigrationFinishedDto(VmDtoMapper.ToDto(entry), (long)_time.GetElapsedTime(running).TotalMilliseconds) { ResumedAt = resumedAt };
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
        {
            throw new DomainException(ErrorCodes.MigrationFailed, $"VM '{incoming.Spec.Name}': the destination could not run it: {ex.Message}");
        }
        finally
        {
            incoming.Lock.Release();
        }
    }

    /// <summary>The arrival becomes a registered VM under its reserved id (running, or powered off), no longer an arrival.</summary>
    private async Task<VmEntry> RegisterArrivalAsync(string migrationId, IncomingMigration incoming, bool running, CancellationToken cancellationToken)
    {
        incoming.Done = true;
        await _inventoryLock.WaitAsync(cancellationToken);
        try
        {
            var registration = _inventory.AddReserved(incoming.VmId, incoming.Datastore, incoming.Folder);
            var entry = new VmEntry(registration, incoming.FolderPath, incoming.Spec, RuntimePaths(incoming.VmId, incoming.FolderPath));
            if (running)
            {
                lock (entry.Gate)
                {
                    entry.PowerState = VmPowerState.PoweredOn;
                    entry.PoweredOnAt = _time.GetUtcNow();
                }
            }

            lock (_vms)
            {
                _incoming.Remove(migrationId);
                _vms[entry.Id] = entry;
            }

            return entry;
        }
        finally
        {
            _inventoryLock.Release();
        }
    }

    /// <summary>
    /// The source, at the end of the stream, starts the guest here itself: the same as <see cref="FinishIncomingAsync"/>
    /// but authorised by the arrival's single-use token instead of the Center's credentials.
    /// </summary>
    /// <param name="waitSeconds">The source arms the arrival as its stream starts: how long the stream may take (its time limit).</param>
    public Task<MigrationFinishedDto> SwitchoverIncomingAsync(string migrationId, string? token, int? waitSeconds, CancellationToken cancellationToken)
    {
        var incoming = FindByToken(migrationId, token);
        if (incoming is null || incoming.PoweredOff)
        {
            throw new DomainException(ErrorCodes.Unauthorized, $"no incoming migration '{migrationId}' with this switch-over token");
        }

        var wait = waitSeconds is > 0 ? TimeSpan.FromSeconds(Math.Min(waitSeconds.Value, 86_400)) + ArrivalTimeout : ArrivalTimeout;
        return FinishIncomingAsync(migrationId, wait, cancellationToken);
    }

    /// <summary>
    /// The source, before it cancels a migration it armed: throws this arrival away, or refuses (409) when the guest runs
    /// here already. Authorised by the arrival's token; an id with no arrival (never, or thrown away already) is done.
    /// </summary>
    public async Task AbortIncomingBySourceAsync(string migrationId, string? token, CancellationToken cancellationToken)
    {
        bool pending;
        lock (_vms)
        {
            pending = _incoming.ContainsKey(migrationId);
        }

        // A pending arrival needs its token; one that ran or is gone is answered as AbortIncomingAsync answers anyone.
        if (pending && FindByToken(migrationId, token) is null)
        {
            throw new DomainException(ErrorCodes.Unauthorized, $"no incoming migration '{migrationId}' with this switch-over token");
        }

        await AbortIncomingAsync(migrationId, cancellationToken);
    }

    private IncomingMigration? FindByToken(string migrationId, string? token)
    {
        IncomingMigration? incoming;
        lock (_vms)
        {
            _incoming.TryGetValue(migrationId, out incoming);
        }

        var expected = System.Text.Encoding.ASCII.GetBytes(incoming?.SwitchoverToken ?? string.Empty);
        var given = System.Text.Encoding.ASCII.GetBytes(token ?? string.Empty);
        return incoming is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, given) ? incoming : null;
    }

    /// <summary>Throws the arriving VM away (its QEMU is killed; nothing was registered). Unknown ids are already gone.</summary>
    public async Task AbortIncomingAsync(string migrationId, CancellationToken cancellationToken)
    {
        IncomingMigration? incoming;
        lock (_vms)
        {
            _incoming.TryGetValue(migrationId, out incoming);
        }

        if (incoming is null)
        {
            if (_arrived.TryGetValue(migrationId, out var name))
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"incoming migration {migrationId} has finished: VM '{name}' runs here now");
            }

            return;
        }

        await incoming.Lock.WaitAsync(cancellationToken);
        try
        {
            if (incoming.Done)
            {
                throw new DomainException(ErrorCodes.MigrationInvalidState, $"incoming migration {migrationId} has finished or was thrown away");
            }

            incoming.Done = true;
            incoming.Instance.Kill();
            await incoming.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(10), _time, cancellationToken);
            await incoming.Instance.DisposeAsync();
            var entry = new VmEntry(new VmRegistration(incoming.VmId, incoming.Datastore, incoming.Folder), incoming.FolderPath, incoming.Spec, RuntimePaths(incoming.VmId, incoming.FolderPath));
            await _supervisor.DeleteTapsAsync(entry);
            DeleteRunDirectory(entry.Paths);
            if (incoming.OwnsFolder)
            {
                DeletePartialCopy(incoming.FolderPath);
            }

            lock (_vms)
            {
                _incoming.Remove(migrationId);
            }

            LogIncomingAborted(_logger, incoming.Spec.Name, migrationId);
        }
        finally
        {
            incoming.Lock.Release();
        }
    }

    /// <summary>
    /// Agent start: a run directory that belongs to no registered VM is an incoming migration the agent was preparing
    /// when it stopped. Its QEMU never ran the guest (it waits paused for a <c>cont</c> only the agent gives): kill it.
    /// </summary>
    private async Task CleanAbandonedIncomingAsync(CancellationToken cancellationToken)
    {
        var run = Path.Combine(_options.DataDirectory, "run");
        if (!Directory.Exists(run))
        {
            return;
        }

        HashSet<string> registered;
        lock (_vms)
        {
            registered = [.. _vms.Keys];
        }

        foreach (var dir in Directory.EnumerateDirectories(run))
        {
            var id = Path.GetFileName(dir);
            if (registered.Contains(id))
            {
                continue;
            }

            var pidFile = Path.Combine(dir, "qemu.pid");
            if (File.Exists(pidFile)
                && int.TryParse((await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim(), CultureInfo.InvariantCulture, out var pid)
                && _processes.IsAlive(pid) && _processes.ReadCommandLine(pid) is { } argv && argv.Contains("-incoming"))
            {
                _processes.Kill(pid);
                LogAbandonedIncoming(_logger, id, pid);
            }

            // A shared-nothing arrival also leaves the folder it created.
            if (ArrivingFolderOf(dir) is { } arriving)
            {
                DeletePartialCopy(arriving);
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task RunOutgoingAsync(VmEntry entry, IVmInstance instance, OutgoingMigration migration)
    {
        var request = migration.Request;
        var deadline = migration.StartedAt + TimeSpan.FromSeconds(request.TimeLimitSeconds);
        var postcopyAt = migration.StartedAt + TimeSpan.FromSeconds(request.PostcopyAfterSeconds);
        using var switchover = request.Switchover is { } target && !migration.SharedNothing ? new SwitchoverClient(target) : null;
        migration.Switchover = switchover;
        var warmedAt = DateTimeOffset.MinValue;
        try
        {
            if (migration.SharedNothing && !await MirrorThenMigrateAsync(entry, instance, migration, deadline))
            {
                return;
            }

            var stall = TimeSpan.FromSeconds(Math.Max(1, request.StallSeconds));
            var lastBytes = -1L;
            var lastMoved = _time.GetUtcNow();
            var stopBefore = instance.LastStop;
            var cancelRetryAt = DateTimeOffset.MinValue;

            // Arm the destination now: it runs the guest on its own end of stream, no round trip after it. Pre-copy only
            // (post-copy opens QEMU's return path, whose failure after the destination has everything would make QEMU
            // resume the source), never shared-nothing (its mirrors end at QEMU's pre-switchover pause instead). From
            // here a cancel first has the destination throw its arrival away (CancelOutgoingAsync).
            Task? armed = null;
            if (switchover is not null && !request.Postcopy && migration.TryCommit())
            {
                armed = SwitchOverDirectlyAsync(entry, switchover, migration, instance, stopBefore, armed: true);
            }

            while (true)
            {
                var changed = instance.MigrationStatusChanged;
                VmMigrationProgress progress;
                try
                {
                    progress = await instance.QueryMigrationAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is QmpDisconnectedException or InvalidOperationException)
                {
                    migration.SetPhase("failed", "the source QEMU exited during the migration");
                    return;
                }
                catch (TimeoutException)
                {
                    continue;
                }

                if (progress.Status == "completed" && armed is not null)
                {
                    // The destination runs the guest as its stream ends: its answer is on the way.
                    await armed;
                    if (migration.SwitchoverClosedAt is { } closed && instance.LastStop is { Plain: true } stop && stop != stopBefore && stop.At > closed)
                    {
                        // Its side closed the request before the guest stopped here, so before its stream could end:
                        // dead, or it dropped the request and with it the switch-over — it cannot have run the guest.
                        migration.SwitchoverNotDelivered = true;
                    }
                }
                else if (progress.Status == "completed" && switchover is not null && !migration.PostcopyStarted && migration.Arrived is null && migration.SwitchoverError is null)
                {
                    // The guest is stopped here and whole there: start it there now, before anyone else hears of it.
                    await SwitchOverDirectlyAsync(entry, switchover, migration, instance, stopBefore, armed: false);
                }

                if (progress.Status == "pre-switchover" && migration.SharedNothing)
                {
                    // The guest is paused and its disks still active: end the mirrors exactly here, then switch over.
                    await EndMirrorsAtSwitchoverAsync(entry, instance, migration);
                    continue;
                }

                if (progress.Status == "completed")
                {
                    // After the switch-over (the guest runs there by now): the figures QEMU fills in a moment late.
                    progress = await CompletedFiguresAsync(instance, progress);
                }

                migration.Update(progress);
                if (progress.IsFinished)
                {
                    if (migration.SharedNothing && progress.Status != "completed")
                    {
                        await AbandonMirrorsAsync(instance, migration);
                    }

                    if (progress.Status == "completed")
                    {
                        LogOutgoingCompleted(_logger, entry.Id, progress.TotalTimeMs ?? 0, progress.DowntimeMs ?? 0, progress.TransferredBytes, progress.Passes);
                    }
                    else
                    {
                        _events.Publish(EventTypes.VmMigrationFailed, $"migration {progress.Status}: {migration.Status.Error ?? "no reason given"}; the VM runs here", entry.Id, entry.Spec.Name);
                    }

                    return;
                }

                var now = _time.GetUtcNow();
                if (switchover is not null && armed is null && now - warmedAt >= SwitchoverWarmInterval)
                {
                    // Keep a connection to the destination open so the switch-over is one request.
                    warmedAt = now;
                    _ = switchover.WarmAsync();
                }

                if (progress.TransferredBytes != lastBytes)
                {
                    (lastBytes, lastMoved) = (progress.TransferredBytes, now);
                }

                if (now < cancelRetryAt)
                {
                    // A cancel was refused a moment ago (the destination could not throw its copy away first).
                }
                else if (now >= deadline && !progress.IsPastSwitchover && migration.CancelReason is null)
                {
                    cancelRetryAt = await CancelOutgoingAsync(instance, migration, $"did not converge within {request.TimeLimitSeconds} s (dirty rate {progress.DirtyRateBytesPerSecond / (1024 * 1024)} MiB/s, auto-converge throttle {progress.ThrottlePercent}%): cancelled, the VM keeps running here", stalled: false) ? now : now + CancelRetryInterval;
                }
                else if (now - lastMoved >= stall && !progress.IsPastSwitchover && !migration.PostcopyStarted && migration.CancelReason is null)
                {
                    cancelRetryAt = await CancelOutgoingAsync(instance, migration, $"the stream stopped: no data reached the destination for {request.StallSeconds} s (network cut, or the destination stopped reading) after {progress.TransferredBytes / (1024 * 1024)} MiB: cancelled, the VM keeps running here", stalled: true) ? now : now + CancelRetryInterval;
                }
                else if (request.Postcopy && !migration.PostcopyStarted && now >= postcopyAt && progress.Status == "active")
                {
                    migration.PostcopyStarted = true;
                    await TryAsync(() => instance.StartPostcopyAsync(CancellationToken.None));
                }

                await Task.WhenAny(changed, Task.Delay(MigrationPollInterval, _time));
            }
        }
        catch (Exception ex)
        {
            LogOutgoingCrashed(_logger, entry.Id, ex);
            if (migration.SharedNothing)
            {
                await AbandonMirrorsAsync(instance, migration);
            }

            migration.SetPhase("failed", ex.Message);
        }
    }

    /// <param name="armed">Sent as the stream starts (the destination waits for its end), not after it.</param>
    private async Task SwitchOverDirectlyAsync(VmEntry entry, SwitchoverClient switchover, OutgoingMigration migration, IVmInstance instance, VcpuStop? stopBefore, bool armed)
    {
        var started = _time.GetTimestamp();
        try
        {
            var finished = await switchover.SwitchoverAsync(armed ? migration.Request.TimeLimitSeconds : null, CancellationToken.None);
            var waited = armed ? 0 : (long)_time.GetElapsedTime(started).TotalMilliseconds - finished.AfterContinueMs;

            // The guest's whole pause, from QEMU's own stamps: its vCPUs stopped here for the final pass → running there
            // (one clock in a lab; NTP-close between real hosts).
            migration.GuestPauseMs = instance.LastStop is { Plain: true } stop && stop != stopBefore && finished.ResumedAt is { } resumed && resumed >= stop.At
                ? (long)Math.Round((resumed - stop.At).TotalMilliseconds)
                : null;
            migration.Arrived = (finished.Vm, Math.Max(0, waited));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            // Whether the destination ran it is not known here, unless no connection was made, or the destination's
            // side closed it before this QEMU stopped the guest for the final pass (the destination runs a guest only
            // after the stream's end, and never once its request is gone: see the completed case in RunOutgoingAsync).
            migration.SwitchoverNotDelivered = HttpFailures.NeverConnected(ex);
            migration.SwitchoverClosedAt = armed && HttpFailures.ClosedByPeer(ex) ? _time.GetUtcNow() : null;
            migration.SwitchoverError = ex.Message;
            LogDirectSwitchoverFailed(_logger, entry.Id, ex.Message);
        }
    }

    /// <summary>QEMU says <c>completed</c> a moment before it fills in its total time and downtime: ask again briefly.</summary>
    private async Task<VmMigrationProgress> CompletedFiguresAsync(IVmInstance instance, VmMigrationProgress progress)
    {
        for (var i = 0; i < 10 && (progress.DowntimeMs is null or 0 || (progress.TotalTimeMs ?? 0) == 0); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time);
            try
            {
                var again = await instance.QueryMigrationAsync(CancellationToken.None);
                if (again.Status != "completed")
                {
                    break;
                }

                progress = again;
            }
            catch (Exception ex) when (ex is QmpDisconnectedException or InvalidOperationException or TimeoutException)
            {
                break;
            }
        }

        return progress;
    }

    /// <summary>
    /// Cancels an outgoing pre-copy migration — when the destination is armed, only once it has thrown its arrival away
    /// (or, for a stalled stream, cannot be asked: a stream that does not move cannot complete). False: not cancelled
    /// (the guest runs there already, or its copy there cannot be stopped first); the migration goes on.
    /// </summary>
    private static async Task<bool> CancelOutgoingAsync(IVmInstance instance, OutgoingMigration migration, string reason, bool stalled)
    {
        if (await RequestCancelAsync(migration, reason, goAheadUnanswered: stalled, CancellationToken.None) != ArrivalAbort.ThrownAway)
        {
            return false;
        }

        await TryAsync(() => instance.CancelMigrationAsync(CancellationToken.None));
        return true;
    }

    /// <summary>
    /// Records a cancel. An armed migration's destination must first throw its arrival away: <see cref="ArrivalAbort.ThrownAway"/>
    /// (also when not armed, or — <paramref name="goAheadUnanswered"/> — when the destination did not answer) means the
    /// cancel goes ahead; otherwise the destination's answer, and nothing is recorded.
    /// </summary>
    private static async Task<ArrivalAbort> RequestCancelAsync(OutgoingMigration migration, string reason, bool goAheadUnanswered, CancellationToken cancellationToken)
    {
        if (migration.TryRequestCancel(reason))
        {
            return ArrivalAbort.ThrownAway;
        }

        // Killing the destination's copy ends the stream (QEMU reports it failed, not cancelled): the reason goes first.
        var mine = migration.CancelReason is null;
        migration.CancelReason ??= reason;
        var verdict = migration.Switchover is { } line ? await line.AbortAsync(cancellationToken) : ArrivalAbort.Unknown;
        if (verdict == ArrivalAbort.ThrownAway || (verdict == ArrivalAbort.Unknown && goAheadUnanswered))
        {
            migration.CancelAfterArrivalGone(reason);
            return ArrivalAbort.ThrownAway;
        }

        if (mine)
        {
            migration.CancelReason = null;
        }

        return verdict;
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
        {
            // The loop's next query tells how the migration stands.
        }
    }

    private IncomingMigration FindIncoming(string migrationId)
    {
        lock (_vms)
        {
            return _incoming.TryGetValue(migrationId, out var incoming)
                ? incoming
                : throw new DomainException(ErrorCodes.MigrationNotFound, $"no incoming migration '{migrationId}' on this host");
        }
    }

    private static void RequireNotMigrating(VmEntry entry, string what)
    {
        if (entry.Migration is { Holds: true } migration)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"cannot {what} VM '{entry.Spec.Name}' while it is migrating ({migration.Status.Status})");
        }

        if (entry.StorageMotion is { Active: true } motion)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"cannot {what} VM '{entry.Spec.Name}' while its storage is migrating ({motion.Status.Status})");
        }
    }

    private static void DeleteRunDirectory(QemuRuntimePaths paths)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(paths.QmpSocket)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: the destination did not confirm the direct switch-over ({Reason}); the Center settles it")]
    private static partial void LogDirectSwitchoverFailed(ILogger logger, string vmId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: adopted in the middle of an outgoing migration ({Status})")]
    private static partial void LogMigrationAdopted(ILogger logger, string vmId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Name}: incoming migration QEMU pid {Pid} listens on port {Port}")]
    private static partial void LogIncoming(ILogger logger, string name, int pid, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Name}: incoming migration {MigrationId} aborted")]
    private static partial void LogIncomingAborted(ILogger logger, string name, string migrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "run/{Id}: abandoned incoming migration QEMU pid {Pid} killed")]
    private static partial void LogAbandonedIncoming(ILogger logger, string id, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId}: migration completed in {TotalMs} ms, downtime {DowntimeMs} ms, {Bytes} bytes, {Passes} passes")]
    private static partial void LogOutgoingCompleted(ILogger logger, string vmId, long totalMs, long downtimeMs, long bytes, long passes);

    [LoggerMessage(Level = LogLevel.Error, Message = "VM {VmId}: the migration watch failed")]
    private static partial void LogOutgoingCrashed(ILogger logger, string vmId, Exception exception);
}
