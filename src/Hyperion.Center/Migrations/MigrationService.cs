using System.Diagnostics;
using System.Globalization;
using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Migrations;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Migrations;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Migrations;

/// <summary>
/// Moves VMs between hosts: vMotion for a running VM (QEMU's live migration, host to host, driven from here), a cold
/// migration for a powered-off one. Every pre-check runs before anything moves and fails with its reason (a 4xx
/// problem, nothing queued). The task then holds a migration slot on both hosts and goes: destination prepared (a
/// paused QEMU listening), source streaming with live progress, switch-over (destination told to run, then the
/// record moved to it in one transaction, then the source's paused copy let go). Before switch-over any failure or a
/// cancel leaves the VM running on its source and the destination cleaned; the destination runs the guest only once
/// the source has stopped it, so it never runs twice.
/// </summary>
public sealed class MigrationService(
    CenterDbContext db,
    AccessControl access,
    HostConnections connections,
    HostCredentials credentials,
    HostInventoryVersions versions,
    MigrationSlots slots,
    MigrationRegistry registry,
    CenterCertificateAuthority authority,
    TaskManager tasks,
    TimeProvider time)
{
    /// <summary>How often the task's progress is written at most.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Long-poll wait for the source's migration status.</summary>
    private static readonly TimeSpan StatusWait = TimeSpan.FromSeconds(1);

    public const int DefaultDowntimeLimitMs = 300;
    public const int DefaultTimeLimitSeconds = 600;
    public const int DefaultStallSeconds = 15;

    public async Task<TaskDto> MigrateAsync(AuthenticatedUser actor, string id, VmMigrateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var plan = await PlanAsync(actor, id, request, cancellationToken);
        var highPriority = plan.Priority == "high";
        var hosts = plan.Source.Id == plan.Destination.Id ? new[] { plan.Source.Id } : new[] { plan.Source.Id, plan.Destination.Id };
        return await tasks.QueueAsync(
            new TaskSpec(plan.Storage is null && plan.SharedNothing is null ? "VirtualMachine.migrate" : "VirtualMachine.relocate", plan.Vm.Id, plan.Vm.Name, actor.Name, Cancellable: plan.Live || plan.SharedNothing is not null)
            {
                Admission = ct => slots.AcquireAsync(hosts, highPriority, ct),
            },
            async (context, ct) =>
            {
                // While this task drives the VM's migration, the reconciler leaves it alone.
                using var held = registry.Hold(plan.HostVm.Uuid);
                return plan.Storage is not null ? await StorageAsync(plan, actor, context, ct)
                    : plan.Live ? await LiveAsync(plan, actor, context, ct)
                    : plan.SharedNothing is not null ? await ColdSharedNothingAsync(plan, actor, context, ct)
                    : await ColdAsync(plan, actor, context, ct);
            },
            cancellationToken);
    }

    /// <summary>Every check that can be made before anything moves.</summary>
    private async Task<MigrationPlan> PlanAsync(AuthenticatedUser actor, string id, VmMigrateRequest request, CancellationToken cancellationToken)
    {
        VmRecord? vm = null;
        if (InventoryId.TryParse(id, out var vmId) && vmId.Kind == InventoryObjectKind.Vm)
        {
            vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == vmId, cancellationToken);
        }

        if (vm is null || !await access.HasAsync(actor.Name, vm.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmNotFound, $"no VM '{id}'", "id"));
        }

        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmMigrate, cancellationToken);
        var errors = new List<DomainError>();
        var priority = (request.Priority ?? "high").ToLowerInvariant();
        if (priority is not ("high" or "normal"))
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "priority must be high or normal", "priority"));
        }

        if (request.DowntimeLimitMs is < 1 or > 60_000)
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "downtimeLimitMs must be 1–60000", "downtimeLimitMs"));
        }

        if (request.BandwidthMiBps is < 0)
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "bandwidthMiBps must not be negative (0: not throttled)", "bandwidthMiBps"));
        }

        if (request.PostcopyAfterSeconds is < 0 or > 86_400)
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "postcopyAfterSeconds must be 0–86400", "postcopyAfterSeconds"));
        }

        if (request.TimeLimitSeconds is < 1 or > 86_400)
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "timeLimitSeconds must be 1–86400", "timeLimitSeconds"));
        }

        if (request.StallSeconds is < 1 or > 3_600)
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "stallSeconds must be 1–3600", "stallSeconds"));
        }

        if (string.IsNullOrWhiteSpace(request.Host) && string.IsNullOrWhiteSpace(request.Datastore))
        {
            errors.Add(new DomainError(ErrorCodes.InvalidArgument, "host or datastore is required: the destination host's id or address, and/or the datastore to move the VM's files to", "host"));
        }

        if (errors.Count > 0)
        {
            throw new DomainException(errors);
        }

        var source = vm.HostId is { } sourceId ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == sourceId, cancellationToken) : null;
        if (source is null || vm.HostLocalId is null)
        {
            throw new DomainException(ErrorCodes.HostNotConnected, $"VM '{vm.Name}' is not registered on any host");
        }

        var destination = string.IsNullOrWhiteSpace(request.Host) ? source : await CenterVmService.FindHostAsync(db, request.Host!, cancellationToken);
        if (!await access.HasAsync(actor.Name, destination.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{request.Host}'", "host"));
        }

        if (source.Id == destination.Id && !string.IsNullOrWhiteSpace(request.Datastore))
        {
            return await PlanStorageAsync(actor, vm, source, request, priority, cancellationToken);
        }

        if (source.Id == destination.Id)
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationSameHost, $"VM '{vm.Name}' is already on host {destination.Address} ({destination.Id})", "host"));
        }

        RequireConnected(source, "source");
        RequireConnected(destination, "destination");
        if (destination.InMaintenanceMode)
        {
            throw new DomainException(new DomainError(ErrorCodes.HostInMaintenance, $"destination host {destination.Address} is in maintenance mode: it takes no VMs", "host"));
        }

        var sourcePath = await InventoryAncestry.GetAsync(db, source.Id, cancellationToken);
        var destinationPath = await InventoryAncestry.GetAsync(db, destination.Id, cancellationToken);
        if (sourcePath.First(p => p.Kind == InventoryObjectKind.Datacenter) != destinationPath.First(p => p.Kind == InventoryObjectKind.Datacenter))
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationIncompatible, $"host {destination.Address} is in another datacenter than VM '{vm.Name}'", "host"));
        }

        var live = vm.PowerState switch
        {
            VmPowerState.PoweredOn => true,
            VmPowerState.PoweredOff => false,
            _ => throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{vm.Name}' is {vm.PowerState}: resume it (live migration) or power it off (cold migration) first"),
        };

        // Live facts from both hosts: the VM's folder, memory and CPU compatibility.
        var sourceClient = connections.Get(source.Id, credentials.For(source));
        var destinationClient = connections.Get(destination.Id, credentials.For(destination));
        var sourceInfoTask = sourceClient.GetHostInfoAsync(cancellationToken);
        var destinationInfoTask = destinationClient.GetHostInfoAsync(cancellationToken);
        var hostVmTask = sourceClient.GetVmAsync(vm.HostLocalId.Value.Value, cancellationToken);
        var sourceInfo = await sourceInfoTask;
        var destinationInfo = await destinationInfoTask;
        var hostVm = await hostVmTask;
        var hostDatastore = sourceInfo.Datastores.FirstOrDefault(d => d.Name == hostVm.Datastore)
            ?? throw new DomainException(ErrorCodes.MigrationIncompatible, $"host {source.Address} does not report datastore '{hostVm.Datastore}' of VM '{vm.Name}'");

        // The Center's datastore: the VM record's, or (a VM the heartbeat has not described yet) the source's mount of that directory.
        var datastore = vm.DatastoreId is { } dsId
            ? await db.Datastores.AsNoTracking().SingleOrDefaultAsync(d => d.Id == dsId, cancellationToken)
            : await db.Datastores.AsNoTracking()
                .Where(d => db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == source.Id && m.Path == hostDatastore.Path))
                .FirstOrDefaultAsync(cancellationToken);
        if (datastore is null)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"the Center does not know datastore '{hostVm.Datastore}' of VM '{vm.Name}' yet: try again after its host's next heartbeat");
        }

        if (!string.IsNullOrEmpty(request.Datastore) && request.Datastore != datastore.Name && request.Datastore != datastore.Id.Value)
        {
            return await PlanSharedNothingAsync(actor, vm, source, destination, live, priority, hostVm, Path.GetRelativePath(hostDatastore.Path, hostVm.Folder), destinationInfo, sourceInfo, request, cancellationToken);
        }

        if (!await db.DatastoreMounts.AsNoTracking().AnyAsync(m => m.HostId == destination.Id && m.DatastoreId == datastore.Id, cancellationToken))
        {
            throw new DomainException(new DomainError(
                ErrorCodes.MigrationIncompatible,
                datastore.Type == "local"
                    ? $"VM '{vm.Name}' is on datastore '{datastore.Name}', local to host {source.Address}: host {destination.Address} cannot reach it; give a datastore of host {destination.Address} to copy its disks there too (shared-nothing migration)"
                    : $"datastore '{datastore.Name}' of VM '{vm.Name}' is not mounted on host {destination.Address}; give a datastore of host {destination.Address} to copy its disks there too (shared-nothing migration)",
                "datastore"));
        }

        if (live && MigrationCompatibility.Check(Facts(source, sourceInfo, hostVm), Facts(destination, destinationInfo)) is { } incompatible)
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationIncompatible, incompatible, "host"));
        }

        RequireRoom(vm, hostVm, destination, destinationInfo, live);

        var folder = Path.GetRelativePath(hostDatastore.Path, hostVm.Folder);
        var destinationDatastore = destinationInfo.Datastores.Any(d => d.Name == hostVm.Datastore)
            ? hostVm.Datastore
            : throw new DomainException(new DomainError(ErrorCodes.MigrationIncompatible, $"host {destination.Address} has no datastore '{hostVm.Datastore}'", "datastore"));

        return new MigrationPlan(vm, source, destination, live, priority, hostVm, destinationDatastore, folder, datastore.Id, request);
    }

    private async Task<object?> LiveAsync(MigrationPlan plan, AuthenticatedUser actor, TaskContext context, CancellationToken ct)
    {
        var (vm, source, destination) = (plan.Vm, plan.Source, plan.Destination);
        var sourceClient = connections.Get(source.Id, credentials.For(source));
        var destinationClient = connections.Get(destination.Id, credentials.For(destination));
        var localId = vm.HostLocalId!.Value.Value;
        var request = plan.Request;
        var clock = Stopwatch.StartNew();
        await context.ReportProgressAsync(1, $"preparing host {destination.Address} to receive {vm.Name}", ct);
        var tls = request.Tls == true ? authority.IssueMigrationCredentials($"{destination.Id.Value}.migration.hyperion", time.GetUtcNow()) : default;
        MigrationIncomingDto prepared;
        try
        {
            prepared = await destinationClient.PrepareIncomingMigrationAsync(
                new MigrationIncomingRequest(plan.DestinationDatastore, plan.Folder, plan.HostVm.Uuid)
                {
                    CpuModel = plan.HostVm.CpuModel,
                    Tls = tls.Server,
                    Postcopy = request.Postcopy == true,
                    Config = plan.SharedNothing?.Config,
                    DiskSizes = plan.SharedNothing?.DiskSizes,
                    AllocatedBytes = plan.SharedNothing?.AllocatedBytes ?? 0,
                },
                CancellationToken.None); // A cancel must not abandon a half-made arrival: it is thrown away below.
        }
        catch (DomainException ex)
        {
            var message = $"host {destination.Address} could not prepare to receive {vm.Name} ({ex.Message}); nothing moved, it keeps running on {source.Address}";
            await RecordFailureAsync(context, vm, actor, message);
            throw new DomainException(ex.Code == ErrorCodes.HostUnreachable ? ErrorCodes.MigrationFailed : ex.Code, message);
        }

        if (ct.IsCancellationRequested)
        {
            await TryAsync(() => destinationClient.AbortIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None));
            await RecordFailureAsync(context, vm, actor, $"migration of {vm.Name} to {destination.Address} cancelled before the stream started; it keeps running on {source.Address}");
            ct.ThrowIfCancellationRequested();
        }

        var destinationRunning = false;
        VmDto? arrived = null;
        long afterContinueMs = 0;
        MigrationStatusDto status;
        var maxThrottle = 0;
        var sharedNothing = plan.SharedNothing is not null;
        (long From, long To) serialLog = (0, 0);
        try
        {
            if (sharedNothing)
            {
                // The console history goes ahead; what the guest prints meanwhile follows at switch-over.
                await context.ReportProgressAsync(2, $"copying the serial log of {vm.Name} to host {destination.Address}", ct);
                serialLog = await RelaySerialLogAsync(sourceClient, localId, destinationClient, prepared.MigrationId, 0, 0, ct);
            }

            status = await sourceClient.StartMigrationAsync(localId, new MigrationStartRequest(prepared.Uri)
            {
                DowntimeLimitMs = request.DowntimeLimitMs ?? DefaultDowntimeLimitMs,
                BandwidthMiBps = request.BandwidthMiBps ?? 0,
                Postcopy = request.Postcopy == true,
                TimeLimitSeconds = request.TimeLimitSeconds ?? DefaultTimeLimitSeconds,
                StallSeconds = request.StallSeconds ?? DefaultStallSeconds,
                DiskTargets = prepared.DiskTargets,
                Tls = tls.Client,
                PostcopyAfterSeconds = request.PostcopyAfterSeconds ?? 20,
                // The source starts the guest on the destination itself the moment the stream completes (no round trip here).
                Switchover = sharedNothing || prepared.SwitchoverToken is null
                    ? null
                    : new MigrationSwitchoverDto(new HostEndpoint(destination.Address, destination.Port).BaseAddress.ToString(), prepared.MigrationId, prepared.SwitchoverToken, destination.CertificateSha256),
            }, ct);

            // Follow the stream; from here, the HTTP calls do not take the task's token: a cancel is a request to QEMU.
            var cancelSent = false;
            var lastReport = -ProgressInterval;
            while (true)
            {
                if (ct.IsCancellationRequested && !cancelSent && !status.PostcopyStarted && status.Status is not ("completed" or "postcopy-active"))
                {
                    cancelSent = true;
                    try
                    {
                        status = await sourceClient.CancelMigrationAsync(localId, CancellationToken.None);
                    }
                    catch (DomainException ex) when (ex.Code == ErrorCodes.MigrationInvalidState)
                    {
                        // Too late (the guest runs on the destination, or its copy there cannot be stopped first): it goes on.
                        await context.ReportProgressAsync(Percent(status, sharedNothing), $"not cancelled: {ex.Message}", CancellationToken.None);
                    }
                }

                status = await sourceClient.GetMigrationAsync(localId, status.Version, StatusWait, CancellationToken.None);
                maxThrottle = Math.Max(maxThrottle, status.ThrottlePercent);
                if (status.Status is "completed")
                {
                    break;
                }

                if (status.Status is "failed" or "cancelled" or "resumed" or "switched")
                {
                    if (cancelSent)
                    {
                        throw new OperationCanceledException(ct);
                    }

                    throw new DomainException(ErrorCodes.MigrationFailed, $"the migration of {vm.Name} to {destination.Address} {status.Status}: {status.Error ?? "no reason given"}; the VM keeps running on {source.Address}");
                }

                if (status.Status == "postcopy-active" && !destinationRunning)
                {
                    // Post-copy: the guest must run on the destination now (it fetches its missing pages from the source).
                    (arrived, afterContinueMs) = await destinationClient.FinishIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None);
                    destinationRunning = true;
                }

                if (clock.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    await context.ReportProgressAsync(Percent(status, sharedNothing), Describe(status), CancellationToken.None);
                }
            }
        }
        catch (Exception ex) when (!destinationRunning)
        {
            // Before switch-over: the VM runs on the source; make sure the stream is over, then clean the destination.
            await TryAsync(() => sourceClient.CancelMigrationAsync(localId, CancellationToken.None));
            if (await SucceedsAsync(() => destinationClient.AbortIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None)))
            {
                // Had the stream completed meanwhile, the source holds the VM paused: take it back — only now that the
                // destination's copy is surely gone. (Not aborted: it may run there; the reconciler settles it.)
                await TryAsync(() => sourceClient.ResumeAfterMigrationAsync(localId, CancellationToken.None));
            }

            await RecordFailureAsync(context, vm, actor, ex is OperationCanceledException ? $"migration of {vm.Name} to {destination.Address} cancelled; it keeps running on {source.Address}" : ex.Message);
            throw;
        }

        // Switch-over. The source has paused the guest and the destination holds all of it: run it there (unless the
        // source did already, directly).
        var switchClock = Stopwatch.StartNew();
        long? directSwitchOverMs = null;
        if (!destinationRunning && status.Arrived is { } started)
        {
            (arrived, destinationRunning, directSwitchOverMs) = (started, true, status.SwitchOverMs);
        }

        return await versions.AroundAsync(source.Id, () => versions.AroundAsync(destination.Id, async () =>
        {
            if (!destinationRunning && status.SwitchoverError is not null && await RunningOnDestinationAsync(destinationClient, plan.HostVm.Uuid) is { } already)
            {
                // The source's direct switch-over got no answer, but the destination did run the guest: it stays there.
                (arrived, destinationRunning) = (already, true);
            }

            if (!destinationRunning)
            {
                try
                {
                    if (sharedNothing)
                    {
                        // The guest is paused on the source: the last lines of its serial log go over before it runs there.
                        await RelaySerialLogAsync(sourceClient, localId, destinationClient, prepared.MigrationId, serialLog.From, serialLog.To, CancellationToken.None);
                    }

                    (arrived, afterContinueMs) = await destinationClient.FinishIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None);
                }
                catch (DomainException ex) when (ex.Code == ErrorCodes.MigrationInvalidState)
                {
                    // Already finished there (the source's direct switch-over arrived after all): it runs there. Had
                    // it been aborted instead, nothing runs it: the source takes it back.
                    arrived = await RunningOnDestinationAsync(destinationClient, plan.HostVm.Uuid);
                    if (arrived is null)
                    {
                        await sourceClient.ResumeAfterMigrationAsync(localId, CancellationToken.None);
                        var message = $"host {destination.Address} no longer had the arrival of {vm.Name} ({ex.Message}); the VM runs on {source.Address} again";
                        await RecordFailureAsync(context, vm, actor, message);
                        throw new DomainException(ErrorCodes.MigrationFailed, message);
                    }
                }
                catch (DomainException ex)
                {
                    // The destination cannot run it (its agent or QEMU is gone): take the VM back on the source, once
                    // the destination's copy is surely not running — its arrival thrown away; or it answered that it
                    // could not run it (it kills its QEMU first); or no request to run it ever reached it (the source's
                    // and this one found no connection), so its QEMU still waits for a `cont` it never got.
                    var aborted = await SucceedsAsync(() => destinationClient.AbortIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None));
                    var neverTold = HostAgentClient.NotDelivered(ex) && (status.SwitchoverError is null || status.SwitchoverNotDelivered);
                    if (!aborted && ex.Code != ErrorCodes.MigrationFailed && !neverTold)
                    {
                        // It may run there (told to, then its agent went silent): resuming here could run it twice.
                        // The source keeps it paused; the reconciler settles it once the destination answers.
                        var paused = $"host {destination.Address} did not confirm running {vm.Name} after the stream ({ex.Message}), and may run it: the VM stays paused on {source.Address} until {destination.Address} answers (then it runs where it is, or on {source.Address} again)";
                        await RecordFailureAsync(context, vm, actor, paused);
                        throw new DomainException(ErrorCodes.MigrationFailed, paused);
                    }

                    await sourceClient.ResumeAfterMigrationAsync(localId, CancellationToken.None);
                    var message = $"host {destination.Address} could not run {vm.Name} after the stream ({ex.Message}); the VM runs on {source.Address} again";
                    await RecordFailureAsync(context, vm, actor, message);
                    throw new DomainException(ErrorCodes.MigrationFailed, message);
                }
            }

            // The guest runs from the destination's `cont`; what that host did after it (registering) is not downtime.
            // With the guest's whole pause measured from QEMU's stamps (the source stopping its vCPUs → the destination
            // running them), that is the downtime, and the switch-over is what it adds to QEMU's own figure.
            var guestPauseMs = directSwitchOverMs is not null && !status.PostcopyStarted ? status.GuestPauseMs : null;
            var switchOverMs = guestPauseMs is { } pause
                ? Math.Max(0, pause - (status.DowntimeMs ?? 0))
                : directSwitchOverMs ?? Math.Max(0, switchClock.ElapsedMilliseconds - afterContinueMs);
            var result = await RecordMovedAsync(context, plan, actor, arrived!, sharedNothing ? "shared-nothing" : "live", r => r with
            {
                QemuDowntimeMs = status.DowntimeMs,
                SwitchOverMs = status.PostcopyStarted ? null : switchOverMs,
                SwitchedOverBy = status.PostcopyStarted ? null : directSwitchOverMs is not null ? "source" : "center",
                DowntimeFromVcpuEvents = guestPauseMs is not null,
                SwitchoverArmed = status.SwitchoverArmed,
                DowntimeMs = status.PostcopyStarted ? status.DowntimeMs : guestPauseMs ?? status.DowntimeMs + switchOverMs,
                TotalTimeMs = clock.ElapsedMilliseconds,
                BytesTransferred = status.TransferredBytes + status.DiskCopiedBytes,
                Passes = status.Passes,
                MaxThrottlePercent = maxThrottle,
                Postcopy = status.PostcopyStarted,
                Tls = status.Tls,
            });

            // The destination runs the VM and the inventory says so; the source's paused copy goes. Should the source be
            // unreachable now, its copy stays paused (it never resumes by itself) and is reported.
            try
            {
                await sourceClient.SwitchOverMigrationAsync(localId, CancellationToken.None);
            }
            catch (DomainException ex)
            {
                await RecordFailureAsync(context, vm, actor, $"{vm.Name} runs on {destination.Address}, but {source.Address} did not release its paused copy: {ex.Message}");
            }

            return (object?)result;
        }));
    }

    /// <summary>
    /// Shared-nothing pre-checks (host and datastore at once): the destination mounts the datastore, has room for the
    /// disks, and (for a running VM) is compatible; the source tells the configuration and disk sizes the copy is made from.
    /// </summary>
    private async Task<MigrationPlan> PlanSharedNothingAsync(
        AuthenticatedUser actor, VmRecord vm, HostRecord source, HostRecord destination, bool live, string priority, VmDto hostVm, string folder,
        HostInfoDto destinationInfo, HostInfoDto sourceInfo, VmMigrateRequest request, CancellationToken cancellationToken)
    {
        var wanted = request.Datastore!;
        var wantedId = InventoryId.TryParse(wanted, out var parsed) ? parsed : default;
        var target = await db.Datastores.AsNoTracking()
            .Where(d => (d.Name == wanted || d.Id == wantedId) && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == destination.Id))
            .FirstOrDefaultAsync(cancellationToken);
        if (target is null || !await access.HasAsync(actor.Name, target.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {destination.Address} mounts no datastore '{wanted}'", "datastore"));
        }

        if (request.Postcopy == true)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "post-copy cannot be combined with a shared-nothing migration (the disks must be whole on the destination before it runs the guest)", "postcopy"));
        }

        if (live && MigrationCompatibility.Check(Facts(source, sourceInfo, hostVm), Facts(destination, destinationInfo)) is { } incompatible)
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationIncompatible, incompatible, "host"));
        }

        RequireRoom(vm, hostVm, destination, destinationInfo, live);

        var mount = await db.DatastoreMounts.AsNoTracking().SingleAsync(m => m.DatastoreId == target.Id && m.HostId == destination.Id, cancellationToken);
        var hostDatastore = destinationInfo.Datastores.FirstOrDefault(d => d.Path == mount.Path)
            ?? throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {destination.Address} no longer reports datastore '{target.Name}' ({mount.Path})", "datastore"));
        var sourceFacts = await connections.Get(source.Id, credentials.For(source)).GetMigrationSourceAsync(vm.HostLocalId!.Value.Value, cancellationToken);
        var needed = sourceFacts.AllocatedBytes + (sourceFacts.AllocatedBytes / 20);
        if (needed > hostDatastore.FreeBytes)
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{target.Name}' has {hostDatastore.FreeBytes / (1024 * 1024)} MiB free on host {destination.Address}; the disks of VM '{vm.Name}' need {needed / (1024 * 1024)} MiB", "datastore"));
        }

        return new MigrationPlan(vm, source, destination, live, priority, hostVm, hostDatastore.Name, folder, target.Id, request) { SharedNothing = sourceFacts, TargetDatastore = target };
    }

    /// <summary>Shared-nothing: copies the source's serial log from <paramref name="from"/> to the arriving VM's; returns both offsets reached.</summary>
    private static async Task<(long From, long To)> RelaySerialLogAsync(HostAgentClient source, string localId, HostAgentClient destination, string migrationId, long from, long to, CancellationToken ct)
    {
        while (true)
        {
            var (content, next) = await source.ReadSerialAsync(localId, from, ct);
            if (content.Length == 0)
            {
                return (from, to);
            }

            to = await destination.AppendIncomingSerialLogAsync(migrationId, to, content, ct);
            from = next;
        }
    }

    /// <summary>Storage vMotion pre-checks: the datastore is another one the VM's host mounts, in the VM's datacenter.</summary>
    private async Task<MigrationPlan> PlanStorageAsync(AuthenticatedUser actor, VmRecord vm, HostRecord host, VmMigrateRequest request, string priority, CancellationToken cancellationToken)
    {
        RequireConnected(host, "the VM's");
        var live = vm.PowerState switch
        {
            VmPowerState.PoweredOn => true,
            VmPowerState.PoweredOff => false,
            _ => throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{vm.Name}' is {vm.PowerState}: resume it or power it off to move its storage"),
        };
        var wanted = request.Datastore!;
        var wantedId = InventoryId.TryParse(wanted, out var parsed) ? parsed : default;
        var target = await db.Datastores.AsNoTracking()
            .Where(d => (d.Name == wanted || d.Id == wantedId) && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == host.Id))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {host.Address} mounts no datastore '{wanted}'", "datastore"));
        if (!await access.HasAsync(actor.Name, target.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {host.Address} mounts no datastore '{wanted}'", "datastore"));
        }

        if (target.Id == vm.DatastoreId)
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationSameHost, $"VM '{vm.Name}' is already on host {host.Address} and datastore '{target.Name}'", "datastore"));
        }

        var client = connections.Get(host.Id, credentials.For(host));
        var info = await client.GetHostInfoAsync(cancellationToken);
        var hostVm = await client.GetVmAsync(vm.HostLocalId!.Value.Value, cancellationToken);
        var mount = await db.DatastoreMounts.AsNoTracking().SingleAsync(m => m.DatastoreId == target.Id && m.HostId == host.Id, cancellationToken);
        var hostDatastore = info.Datastores.FirstOrDefault(d => d.Path == mount.Path)
            ?? throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {host.Address} no longer reports datastore '{target.Name}' ({mount.Path})", "datastore"));
        if (hostDatastore.Name == hostVm.Datastore)
        {
            throw new DomainException(new DomainError(ErrorCodes.MigrationSameHost, $"VM '{vm.Name}' is already on datastore '{target.Name}'", "datastore"));
        }

        return new MigrationPlan(vm, host, host, live, priority, hostVm, hostDatastore.Name, hostVm.Folder, target.Id, request) { Storage = target };
    }

    /// <summary>Storage vMotion: the host mirrors the disks (running) or copies them (powered off); the record follows.</summary>
    private async Task<object?> StorageAsync(MigrationPlan plan, AuthenticatedUser actor, TaskContext context, CancellationToken ct)
    {
        var (vm, host, target) = (plan.Vm, plan.Source, plan.Storage!);
        var client = connections.Get(host.Id, credentials.For(host));
        var localId = vm.HostLocalId!.Value.Value;
        var clock = Stopwatch.StartNew();
        await context.ReportProgressAsync(1, $"moving the files of {vm.Name} to datastore '{target.Name}'", ct);
        StorageMigrationStatusDto status;
        try
        {
            status = await client.StartStorageMigrationAsync(localId, new StorageMigrationRequest(plan.DestinationDatastore) { BandwidthMiBps = plan.Request.BandwidthMiBps ?? 0 }, ct);
        }
        catch (DomainException ex)
        {
            await RecordFailureAsync(context, vm, actor, $"storage migration of {vm.Name} to '{target.Name}' refused by host {host.Address}: {ex.Message}");
            throw;
        }

        (status, var cancelSent) = await FollowDiskCopyAsync(client, localId, status, context, clock, ct);
        if (status.Status != "completed")
        {
            var message = $"storage migration of {vm.Name} to '{target.Name}' {status.Status}: {status.Error ?? "no reason given"}";
            await RecordFailureAsync(context, vm, actor, message);
            if (status.Status == "cancelled" && cancelSent)
            {
                throw new OperationCanceledException(ct);
            }

            throw new DomainException(ErrorCodes.MigrationFailed, message);
        }

        return await versions.AroundAsync(host.Id, async () =>
        {
            await using var work = context.CreateDbContext();
            var record = await work.Vms.SingleAsync(v => v.Id == vm.Id, CancellationToken.None);
            var from = record.DatastoreId is { } fromId ? (await work.Datastores.AsNoTracking().SingleOrDefaultAsync(d => d.Id == fromId, CancellationToken.None))?.Name : null;
            record.DatastoreId = target.Id;
            var result = new VmMigrationResultDto(CenterVmMapper.ToDto(record), "storage", host.Id.Value, host.Id.Value)
            {
                DowntimeMs = status.StunMs,
                TotalTimeMs = clock.ElapsedMilliseconds,
                BytesTransferred = status.CopiedBytes,
                Passes = 1,
            };
            var stun = status.StunMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $", guest paused {ms} ms") : " (powered off)";
            CenterEventLog.Add(work, time, CenterEventTypes.VmMigrated, string.Create(CultureInfo.InvariantCulture, $"{record.Name}'s files moved from datastore '{from ?? "?"}' to '{target.Name}' on {host.Address}: {Mib(status.CopiedBytes)} in {result.TotalTimeMs} ms{stun}"), record.Id, record.Name, actor.Name, context.Id);
            await work.SaveChangesAsync(CancellationToken.None);
            return (object?)result;
        });
    }

    /// <summary>The VM with <paramref name="uuid"/> if <paramref name="destination"/> has it registered and running (null when not, or unknown).</summary>
    private static async Task<VmDto?> RunningOnDestinationAsync(HostAgentClient destination, string uuid)
    {
        try
        {
            var vms = await destination.ListVmsAsync(CancellationToken.None);
            return vms.FirstOrDefault(v => string.Equals(v.Uuid, uuid, StringComparison.OrdinalIgnoreCase) && v.PowerState == "poweredOn");
        }
        catch (DomainException)
        {
            return null;
        }
    }

    /// <summary>Follows a host's disk copy (storage migration) until it ends, reporting progress; the task's cancel is passed on while it copies.</summary>
    private static async Task<(StorageMigrationStatusDto Status, bool CancelSent)> FollowDiskCopyAsync(
        HostAgentClient client, string localId, StorageMigrationStatusDto status, TaskContext context, Stopwatch clock, CancellationToken ct)
    {
        var cancelSent = false;
        var lastReport = -ProgressInterval;
        while (status.Status is "copying" or "switching")
        {
            if (ct.IsCancellationRequested && !cancelSent && status.Status == "copying")
            {
                cancelSent = true;
                try
                {
                    status = await client.CancelStorageMigrationAsync(localId, CancellationToken.None);
                }
                catch (DomainException)
                {
                    // Past the point of no return: it finishes.
                }
            }

            status = await client.GetStorageMigrationAsync(localId, status.Version, StatusWait, CancellationToken.None);
            if (clock.Elapsed - lastReport >= ProgressInterval)
            {
                lastReport = clock.Elapsed;
                var percent = status.TotalBytes <= 0 ? 2 : (int)Math.Clamp(2 + (96 * status.CopiedBytes / status.TotalBytes), 2, 98);
                await context.ReportProgressAsync(percent, $"{status.Status}: disks {Mib(status.CopiedBytes)} of {Mib(status.TotalBytes)}", CancellationToken.None);
            }
        }

        return (status, cancelSent);
    }

    /// <summary>
    /// Shared-nothing move of a powered-off VM: the destination creates the folder with empty disks and exports them;
    /// the source writes its disks into them and holds the VM (no power-on) at <c>copied</c>; the destination registers
    /// it powered off; the record moves; the source deletes its copy. Any failure before the destination registered it
    /// throws the destination's copy away and lets the source's go: the VM stays where it was.
    /// </summary>
    private async Task<object?> ColdSharedNothingAsync(MigrationPlan plan, AuthenticatedUser actor, TaskContext context, CancellationToken ct)
    {
        var (vm, source, destination, target) = (plan.Vm, plan.Source, plan.Destination, plan.TargetDatastore!);
        var sourceClient = connections.Get(source.Id, credentials.For(source));
        var destinationClient = connections.Get(destination.Id, credentials.For(destination));
        var localId = vm.HostLocalId!.Value.Value;
        var clock = Stopwatch.StartNew();
        await context.ReportProgressAsync(1, $"preparing datastore '{target.Name}' of host {destination.Address} to receive the disks of {vm.Name}", ct);
        var tls = plan.Request.Tls == true ? authority.IssueMigrationCredentials($"{destination.Id.Value}.migration.hyperion", time.GetUtcNow()) : default;
        MigrationIncomingDto prepared;
        try
        {
            prepared = await destinationClient.PrepareIncomingMigrationAsync(
                new MigrationIncomingRequest(plan.DestinationDatastore, plan.Folder, plan.HostVm.Uuid)
                {
                    PoweredOff = true,
                    Tls = tls.Server,
                    Config = plan.SharedNothing!.Config,
                    DiskSizes = plan.SharedNothing.DiskSizes,
                    AllocatedBytes = plan.SharedNothing.AllocatedBytes,
                },
                CancellationToken.None);
        }
        catch (DomainException ex)
        {
            var message = $"host {destination.Address} could not prepare to receive {vm.Name} ({ex.Message}); nothing moved, it stays on {source.Address}";
            await RecordFailureAsync(context, vm, actor, message);
            throw new DomainException(ex.Code == ErrorCodes.HostUnreachable ? ErrorCodes.MigrationFailed : ex.Code, message);
        }

        async Task<DomainException> GiveUpAsync(string what, bool releaseSource)
        {
            await TryAsync(() => destinationClient.AbortIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None));
            if (releaseSource)
            {
                await TryAsync(() => sourceClient.CancelStorageMigrationAsync(localId, CancellationToken.None));
            }

            var message = $"{what}; {vm.Name} stays on {source.Address} with its disks, the copy on {destination.Address} was thrown away";
            await RecordFailureAsync(context, vm, actor, message);
            return new DomainException(ErrorCodes.MigrationFailed, message);
        }

        StorageMigrationStatusDto status;
        bool cancelSent;
        try
        {
            status = await sourceClient.StartStorageMigrationAsync(localId, new StorageMigrationRequest(target.Name) { DiskTargets = prepared.DiskTargets, BandwidthMiBps = plan.Request.BandwidthMiBps ?? 0, Tls = tls.Client }, CancellationToken.None);
            (status, cancelSent) = await FollowDiskCopyAsync(sourceClient, localId, status, context, clock, ct);
        }
        catch (DomainException ex)
        {
            throw await GiveUpAsync($"copying the disks of {vm.Name} from {source.Address} failed: {ex.Message}", releaseSource: true);
        }

        if (status.Status != "copied")
        {
            var failure = await GiveUpAsync($"copying the disks of {vm.Name} to {destination.Address} {status.Status}: {status.Error ?? "no reason given"}", releaseSource: false);
            if (cancelSent)
            {
                throw new OperationCanceledException(ct);
            }

            throw failure;
        }

        return await versions.AroundAsync(source.Id, () => versions.AroundAsync(destination.Id, async () =>
        {
            await context.ReportProgressAsync(99, $"registering {vm.Name} on {destination.Address}", CancellationToken.None);
            try
            {
                await RelaySerialLogAsync(sourceClient, localId, destinationClient, prepared.MigrationId, 0, 0, CancellationToken.None);
            }
            catch (DomainException ex)
            {
                throw await GiveUpAsync($"copying the serial log of {vm.Name} failed: {ex.Message}", releaseSource: true);
            }

            VmDto arrived;
            try
            {
                arrived = (await destinationClient.FinishIncomingMigrationAsync(prepared.MigrationId, CancellationToken.None)).Vm;
            }
            catch (DomainException ex)
            {
                throw await GiveUpAsync($"host {destination.Address} could not register {vm.Name}: {ex.Message}", releaseSource: true);
            }

            var result = await RecordMovedAsync(context, plan, actor, arrived, "cold", r => r with { TotalTimeMs = clock.ElapsedMilliseconds, BytesTransferred = status.CopiedBytes, Tls = tls.Client is not null });

            // The destination has it now; the source's held copy goes. Should that fail, it stays held and is reported.
            try
            {
                await sourceClient.DeleteVmAsync(localId, CancellationToken.None);
            }
            catch (DomainException ex)
            {
                await RecordFailureAsync(context, vm, actor, $"{vm.Name} is on {destination.Address} now, but {source.Address} did not delete its old copy: {ex.Message}");
            }

            return (object?)result;
        }));
    }

    private async Task<object?> ColdAsync(MigrationPlan plan, AuthenticatedUser actor, TaskContext context, CancellationToken ct)
    {
        var (vm, source, destination) = (plan.Vm, plan.Source, plan.Destination);
        var sourceClient = connections.Get(source.Id, credentials.For(source));
        var destinationClient = connections.Get(destination.Id, credentials.For(destination));
        var clock = Stopwatch.StartNew();
        await context.ReportProgressAsync(10, $"moving {vm.Name} (powered off) to {destination.Address}", ct);
        return await versions.AroundAsync(source.Id, () => versions.AroundAsync(destination.Id, async () =>
        {
            await sourceClient.UnregisterVmAsync(vm.HostLocalId!.Value.Value, ct);
            VmDto arrived;
            try
            {
                arrived = await destinationClient.RegisterVmAsync(new VmRegisterRequest(plan.DestinationDatastore, plan.Folder), CancellationToken.None);
            }
            catch (DomainException ex)
            {
                // Put it back where it was: its files never moved.
                await sourceClient.RegisterVmAsync(new VmRegisterRequest(plan.HostVm.Datastore, plan.Folder), CancellationToken.None);
                var message = $"host {destination.Address} could not register {vm.Name} ({ex.Message}); it stays on {source.Address}";
                await RecordFailureAsync(context, vm, actor, message);
                throw new DomainException(ErrorCodes.MigrationFailed, message);
            }

            return (object?)await RecordMovedAsync(context, plan, actor, arrived, "cold", r => r with { TotalTimeMs = clock.ElapsedMilliseconds });
        }));
    }

    /// <summary>The one transaction that moves the VM's record to its new host.</summary>
    private async Task<VmMigrationResultDto> RecordMovedAsync(
        TaskContext context, MigrationPlan plan, AuthenticatedUser actor, VmDto arrived, string mode, Func<VmMigrationResultDto, VmMigrationResultDto> measures)
    {
        var localId = VmId.TryParse(arrived.Id, out var parsed) ? parsed : throw new DomainException(ErrorCodes.HostUnreachable, $"host {plan.Destination.Address} answered an invalid VM id '{arrived.Id}'");
        await using var work = context.CreateDbContext();
        var record = await work.Vms.SingleAsync(v => v.Id == plan.Vm.Id, CancellationToken.None);

        // A heartbeat may have imported the arrival as a new VM before this; the VM keeps its one record.
        var duplicate = await work.Vms.Where(v => v.Id != record.Id && (v.Uuid == record.Uuid || (v.HostId == plan.Destination.Id && v.HostLocalId == localId))).ToListAsync(CancellationToken.None);
        work.Vms.RemoveRange(duplicate);
        if (duplicate.Count > 0)
        {
            await work.SaveChangesAsync(CancellationToken.None);
        }

        record.HostId = plan.Destination.Id;
        record.HostLocalId = localId;
        record.DatastoreId = plan.DatastoreId;
        record.PowerState = HostInventorySync.ParsePowerState(arrived.PowerState);
        var result = measures(new VmMigrationResultDto(CenterVmMapper.ToDto(record), mode, plan.Source.Id.Value, plan.Destination.Id.Value));
        var numbers = mode != "cold"
            ? string.Create(CultureInfo.InvariantCulture, $": downtime {result.DowntimeMs} ms (QEMU {result.QemuDowntimeMs} ms + switch-over {result.SwitchOverMs?.ToString(CultureInfo.InvariantCulture) ?? "-"} ms{(result.SwitchedOverBy is { } by ? $" by the {by}" : string.Empty)}), total {result.TotalTimeMs} ms, {Mib(result.BytesTransferred)} in {result.Passes} passes{(result.MaxThrottlePercent > 0 ? $", auto-converge throttle up to {result.MaxThrottlePercent}%" : string.Empty)}{(result.Postcopy ? ", post-copy" : string.Empty)}{(result.Tls ? ", over TLS" : string.Empty)}")
            : string.Create(CultureInfo.InvariantCulture, $" (cold, {result.TotalTimeMs} ms{(result.Tls ? ", disks over TLS" : string.Empty)})");
        var storage = plan.TargetDatastore is { } target ? $" and to datastore '{target.Name}' (shared-nothing: disks copied)" : string.Empty;
        CenterEventLog.Add(work, time, CenterEventTypes.VmMigrated, $"{record.Name} migrated from {plan.Source.Address} to {plan.Destination.Address}{storage}{numbers}", record.Id, record.Name, actor.Name, context.Id);
        await work.SaveChangesAsync(CancellationToken.None);
        return result with { Vm = CenterVmMapper.ToDto(record) };
    }

    private async Task RecordFailureAsync(TaskContext context, VmRecord vm, AuthenticatedUser actor, string message)
    {
        await using var work = context.CreateDbContext();
        CenterEventLog.Add(work, time, CenterEventTypes.VmMigrationFailed, message, vm.Id, vm.Name, actor.Name, context.Id);
        await work.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Whether <paramref name="call"/> went through (false: the host refused or could not be reached).</summary>
    private static async Task<bool> SucceedsAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DomainException)
        {
            // Best effort: the host is unreachable or the thing is already gone; what matters is reported by the caller.
        }
    }

    /// <summary>Memory sent of all (2–98 %); a shared-nothing migration spends 2–50 % on the disks and 50–98 % on the memory.</summary>
    private static int Percent(MigrationStatusDto status, bool sharedNothing = false)
    {
        if (status.Status == "mirroring")
        {
            return status.DiskTotalBytes <= 0 ? 2 : (int)Math.Clamp(2 + (48 * status.DiskCopiedBytes / status.DiskTotalBytes), 2, 50);
        }

        var total = status.TransferredBytes + status.RemainingBytes;
        var (low, span) = sharedNothing ? (50, 48) : (2, 96);
        return total <= 0 ? low : (int)Math.Clamp(low + (span * status.TransferredBytes / total), low, 98);
    }

    /// <summary>"memory 120 MiB sent, 12 MiB left, pass 3, dirty 5 MiB/s, expected downtime 40 ms".</summary>
    internal static string Describe(MigrationStatusDto status)
    {
        if (status.Status == "mirroring")
        {
            return $"mirroring disks to the destination: {Mib(status.DiskCopiedBytes)} of {Mib(status.DiskTotalBytes)}";
        }

        var parts = new List<string>
        {
            $"{status.Status}: {Mib(status.TransferredBytes)} sent, {Mib(status.RemainingBytes)} left",
            string.Create(CultureInfo.InvariantCulture, $"pass {Math.Max(1, status.Passes)}"),
        };
        if (status.DirtyRateBytesPerSecond > 0)
        {
            parts.Add($"dirtying {Mib(status.DirtyRateBytesPerSecond)}/s");
        }

        if (status.ExpectedDowntimeMs is { } expected)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"expected downtime {expected} ms"));
        }

        if (status.ThrottlePercent > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"auto-converge throttle {status.ThrottlePercent}%"));
        }

        if (status.PostcopyStarted)
        {
            parts.Add("post-copy");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Bytes as MiB with one decimal ("61.8 MiB").</summary>
    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB");

    private static void RequireConnected(HostRecord host, string role)
    {
        if (host.ConnectionState != HostConnectionState.Connected)
        {
            throw new DomainException(new DomainError(ErrorCodes.HostNotConnected, $"{role} host {host.Address} is {host.ConnectionState}: reconnect it first", "host"));
        }
    }

    /// <summary>A host's facts; with <paramref name="vm"/> (the source), the CPU model that VM runs with there.</summary>
    /// <summary>
    /// The destination has what the VM needs there: each of its NICs' networks (a cold VM too: it powers on there),
    /// and, for a running VM, memory not promised to other VMs.
    /// </summary>
    private static void RequireRoom(VmRecord vm, VmDto hostVm, HostRecord destination, HostInfoDto destinationInfo, bool live)
    {
        if (destinationInfo.Networks is { } networks
            && hostVm.Nics.Select(n => n.Network).Where(n => n != "none" && !networks.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } missing)
        {
            throw new DomainException(new DomainError(
                ErrorCodes.MigrationIncompatible,
                $"host {destination.Address} has no network {string.Join(", ", missing.Select(n => $"'{n}'"))} for VM '{vm.Name}' (it has {string.Join(", ", networks)}): create {(missing.Count == 1 ? "that bridge" : "those bridges")} there first",
                "host"));
        }

        if (live && destinationInfo.MemoryAvailableMiB < vm.MemoryMiB)
        {
            throw new DomainException(new DomainError(ErrorCodes.HostNoCapacity, $"host {destination.Address} has {destinationInfo.MemoryAvailableMiB} MiB of memory available; VM '{vm.Name}' needs {vm.MemoryMiB} MiB", "host"));
        }
    }

    private static MigrationHostFacts Facts(HostRecord host, HostInfoDto info, VmDto? vm = null) => new(
        $"host {host.Address}",
        info.Acceleration.Mode,
        vm?.CpuModel ?? (info.Acceleration.Mode == "kvm" ? "host" : "max"),
        info.QemuVersion,
        info.CpuModel,
        info.CpuFlags)
    {
        UsableCpuModels = info.Acceleration.UsableCpuModels,
    };

    /// <param name="DestinationDatastore">The destination host's name of the datastore the VM's files will be on.</param>
    private sealed record MigrationPlan(
        VmRecord Vm, HostRecord Source, HostRecord Destination, bool Live, string Priority, VmDto HostVm, string DestinationDatastore, string Folder, InventoryId DatastoreId, VmMigrateRequest Request)
    {
        /// <summary>Set for a shared-nothing migration (another host and another datastore): what the copy is made from.</summary>
        public MigrationSourceDto? SharedNothing { get; init; }

        /// <summary>Shared-nothing: the datastore the copy goes to.</summary>
        public DatastoreRecord? TargetDatastore { get; init; }

        /// <summary>Set for a storage migration (same host, another datastore).</summary>
        public DatastoreRecord? Storage { get; init; }
    }
}
