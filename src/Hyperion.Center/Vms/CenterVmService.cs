using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Ha;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Vms;

/// <summary>
/// VM operations through the Center, on any managed host. Each call checks privileges, validates and resolves
/// placement synchronously (so bad input is a 4xx problem and nothing is queued), then queues a task whose work calls
/// the host agent and records the outcome (VM record, event) in one transaction. The host stays the truth: when a
/// task dies after the host acted, the heartbeat brings the record in line.
/// </summary>
public sealed partial class CenterVmService(CenterDbContext db, AccessControl access, HostConnections connections, HostCredentials credentials, HostInventoryVersions versions, TaskManager tasks, TimeProvider time, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes)
{
    /// <summary>Guest shutdown wait when the request does not give one.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromMinutes(5);

    public async Task<CenterVmDto> GetAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        return CenterVmMapper.ToDto(vm);
    }

    public async Task<TaskDto> CreateAsync(AuthenticatedUser actor, CenterVmCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var spec = request.Spec ?? throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "spec is required (the VM's name, size, disks, NICs and boot source)", "spec"));
        if (InventoryNames.Validate(spec.Name, "spec.name") is { } invalid)
        {
            throw new DomainException(invalid);
        }

        var host = await PlaceAsync(actor, request, spec.Datastore, cancellationToken);
        spec = spec with { Datastore = await HostDatastoreNameAsync(spec.Datastore, host, cancellationToken) };
        var folder = await VmFolderAsync(request.Folder, host.Id, cancellationToken);
        await access.RequireAsync(actor.Name, folder, Privileges.VmCreate, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.VmCreate, cancellationToken);
        if (await db.Vms.AnyAsync(v => v.FolderId == folder && v.Name == spec.Name, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmDuplicateName, $"a VM named '{spec.Name}' is already in folder {folder}", "spec.name"));
        }

        var settings = credentials.For(host);
        var hostId = host.Id;
        var name = spec.Name!;
        return await tasks.QueueAsync(
            new TaskSpec("Folder.createVm", folder, name, actor.Name),
            async (context, ct) =>
            {
                await context.ReportProgressAsync(10, ct);
                // The host call and the record together: until the record is saved, a heartbeat seeing the new VM on
                // the host must leave it to this task (else it would "discover" it).
                return await versions.AroundAsync(hostId, async () =>
                {
                    var created = await connections.Get(hostId, settings).CreateVmAsync(spec, ct);
                    await context.ReportProgressAsync(90, ct);
                    await using var work = context.CreateDbContext();
                    var record = await RecordCreatedAsync(work, hostId, folder, name, created, ct);
                    CenterEventLog.Add(work, time, CenterEventTypes.VmCreated, $"{name} created on {settings.Endpoint.Address}", record.Id, name, actor.Name, context.Id);
                    await work.SaveChangesAsync(ct);
                    return CenterVmMapper.ToDto(record);
                });
            },
            cancellationToken);
    }

    /// <summary><c>power-on</c>, <c>power-off</c>, <c>reset</c>, <c>suspend</c>, <c>resume</c> or <c>shutdown</c>.</summary>
    public async Task<TaskDto> PowerAsync(AuthenticatedUser actor, string id, string verb, TimeSpan? shutdownTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (privilege, descriptionId, eventType) = verb switch
        {
            "power-on" => (Privileges.VmPowerOn, "VirtualMachine.powerOn", CenterEventTypes.VmPoweredOn),
            "power-off" => (Privileges.VmPowerOff, "VirtualMachine.powerOff", CenterEventTypes.VmPoweredOff),
            "shutdown" => (Privileges.VmPowerOff, "VirtualMachine.shutdownGuest", CenterEventTypes.VmPoweredOff),
            "reset" => (Privileges.VmReset, "VirtualMachine.reset", "vm.reset"),
            "suspend" => (Privileges.VmSuspend, "VirtualMachine.suspend", CenterEventTypes.VmSuspended),
            "resume" => (Privileges.VmPowerOn, "VirtualMachine.resume", CenterEventTypes.VmPoweredOn),
            _ => throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"unknown power operation '{verb}'", "operation")),
        };
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, privilege, cancellationToken);
        if (vm.IsTemplate && verb is "power-on" or "resume")
        {
            throw new DomainException(ErrorCodes.VmIsTemplate, $"'{vm.Name}' is a template: it cannot be powered on (deploy a VM from it, or turn it into a VM first)");
        }

        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: verb is "power-on" or "resume", cancellationToken);
        if (verb is "power-on" or "resume" && vm.PowerState != VmPowerState.PoweredOn)
        {
            await HaAdmission.RequirePowerOnAsync(db, host.Id, vm.Name, vm.MemoryMiB, vm.RestartPriority, vm.Id, cancellationToken);
        }

        var settings = credentials.For(host);
        var (vmId, hostId, localId, name) = (vm.Id, host.Id, vm.HostLocalId!.Value.Value, vm.Name);
        var timeout = shutdownTimeout ?? DefaultShutdownTimeout;
        return await tasks.QueueAsync(
            new TaskSpec(descriptionId, vmId, name, actor.Name, Cancellable: verb == "shutdown"),
            async (context, ct) =>
            {
                var client = connections.Get(hostId, settings);
                var after = await versions.AroundAsync(hostId, () => verb == "shutdown"
                    ? client.ShutdownVmAsync(localId, timeout, ct)
                    : client.PowerVmAsync(localId, verb, ct));
                await using var work = context.CreateDbContext();
                var record = await work.Vms.SingleOrDefaultAsync(v => v.Id == vmId, ct);
                if (record is null)
                {
                    return null;
                }

                record.PowerState = HostInventorySync.ParsePowerState(after.PowerState);
                CenterEventLog.Add(work, time, eventType, $"{name} on {settings.Endpoint.Address}: {verb} done, now {after.PowerState}", vmId, name, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                return CenterVmMapper.ToDto(record);
            },
            cancellationToken);
    }

    /// <summary>
    /// <c>PUT /api/vms/{id}/ha</c>: the VM's HA restart priority and monitoring, in any power state, relayed to its host.
    /// Protecting a running VM (from <c>disabled</c>) in a cluster with HA on passes admission control first.
    /// </summary>
    public async Task<CenterVmDto> SetHaAsync(AuthenticatedUser actor, string id, VmHaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmReconfigure, cancellationToken);
        var priority = request.RestartPriority?.Trim();
        if (priority is not null && !HaRestartPriorities.All.Contains(priority, StringComparer.Ordinal))
        {
            throw new DomainException(new DomainError(ErrorCodes.HaInvalidConfig, $"restart priority '{priority}' is not one of {string.Join(", ", HaRestartPriorities.All)}", "restartPriority"));
        }

        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        if (vm.PowerState == VmPowerState.PoweredOn && vm.RestartPriority == HaRestartPriorities.Disabled && priority is not null and not HaRestartPriorities.Disabled)
        {
            await HaAdmission.RequirePowerOnAsync(db, host.Id, vm.Name, vm.MemoryMiB, priority, vm.Id, cancellationToken);
        }

        var settings = credentials.For(host);
        var after = await versions.AroundAsync(host.Id, async () =>
        {
            var answer = await connections.Get(host.Id, settings).SetVmHaAsync(vm.HostLocalId!.Value.Value, request with { RestartPriority = priority }, cancellationToken);
            var record = await db.Vms.SingleAsync(v => v.Id == vm.Id, cancellationToken);
            record.RestartPriority = HostInventorySync.RestartPriorityOf(answer);
            CenterEventLog.Add(db, time, CenterEventTypes.VmReconfigured, $"{vm.Name}: HA restart priority {answer.RestartPriority}, VM monitoring {(answer.VmMonitoring ? "on" : "off")}", vm.Id, vm.Name, actor.Name);
            await db.SaveChangesAsync(cancellationToken);
            return record;
        });
        return CenterVmMapper.ToDto(after);
    }

    public async Task<TaskDto> ReconfigureAsync(AuthenticatedUser actor, string id, VmReconfigureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmReconfigure, cancellationToken);
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        var settings = credentials.For(host);
        var (vmId, hostId, localId, name) = (vm.Id, host.Id, vm.HostLocalId!.Value.Value, vm.Name);
        return await tasks.QueueAsync(
            new TaskSpec("VirtualMachine.reconfigure", vmId, name, actor.Name),
            async (context, ct) =>
            {
                var after = await versions.AroundAsync(hostId, () => connections.Get(hostId, settings).ReconfigureVmAsync(localId, request, ct));
                await using var work = context.CreateDbContext();
                var record = await work.Vms.SingleOrDefaultAsync(v => v.Id == vmId, ct);
                if (record is null)
                {
                    return null;
                }

                record.Cpus = after.Cpus;
                record.MemoryMiB = after.MemoryMiB;
                CenterEventLog.Add(work, time, CenterEventTypes.VmReconfigured, $"{name} reconfigured: {after.Cpus} vCPU, {after.MemoryMiB} MiB", vmId, name, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                return CenterVmMapper.ToDto(record);
            },
            cancellationToken);
    }

    /// <summary>Deletes the VM and its disks on its host (it must be powered off), then its record.</summary>
    public async Task<TaskDto> DeleteAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmDelete, cancellationToken);
        if (vm.PowerState != VmPowerState.PoweredOff)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{vm.Name}' is {vm.PowerState}: power it off before deleting it");
        }

        await RequireNoLinkedClonesAsync(vm, $"delete {(vm.IsTemplate ? "template" : "VM")} '{vm.Name}'", cancellationToken);

        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        var settings = credentials.For(host);
        var (vmId, hostId, localId, name) = (vm.Id, host.Id, vm.HostLocalId!.Value.Value, vm.Name);
        return await tasks.QueueAsync(
            new TaskSpec("VirtualMachine.destroy", vmId, name, actor.Name),
            async (context, ct) =>
            {
                await versions.AroundAsync(hostId, async () =>
                {
                    await connections.Get(hostId, settings).DeleteVmAsync(localId, ct);
                    return true;
                });
                await using var work = context.CreateDbContext();
                await using var transaction = await work.Database.BeginTransactionAsync(ct);
                await work.Vms.Where(v => v.Id == vmId).ExecuteDeleteAsync(ct);
                await work.TagAssignments.Where(a => a.ObjectId == vmId).ExecuteDeleteAsync(ct);
                await work.Permissions.Where(p => p.ObjectId == vmId).ExecuteDeleteAsync(ct);
                CenterEventLog.Add(work, time, CenterEventTypes.VmDeleted, $"{name} deleted from {settings.Endpoint.Address} with its disks", vmId, name, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return null;
            },
            cancellationToken);
    }

    /// <summary>The VM, when the user may open its console and its host is connected (to issue a console ticket).</summary>
    public async Task<InventoryId> ConsoleVmAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmConsole, cancellationToken);
        await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        return vm.Id;
    }

    /// <summary>The VM's OVA, streamed from its host (it must be powered off there): vSphere's Export OVF Template.</summary>
    public async Task<(HttpResponseMessage Response, string Name)> OpenExportAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmExport, cancellationToken);
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        return (await connections.Get(host.Id, credentials.For(host)).OpenExportAsync(vm.HostLocalId!.Value.Value, cancellationToken), vm.Name);
    }

    /// <summary>The host and the VM's id there, for the console proxy.</summary>
    public async Task<(HostAgentClient Client, string HostLocalId)> ConsoleTargetAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, Privileges.VmConsole, cancellationToken);
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        return (connections.Get(host.Id, credentials.For(host)), vm.HostLocalId!.Value.Value);
    }

    /// <summary>
    /// Adds the record of a VM the host just created, or, when the heartbeat imported it first, moves that record to
    /// the requested folder and name.
    /// </summary>
    internal static async Task<VmRecord> RecordCreatedAsync(CenterDbContext work, InventoryId hostId, InventoryId folder, string name, VmDto created, CancellationToken ct)
    {
        var localId = VmId.TryParse(created.Id, out var parsed) ? parsed : throw new DomainException(ErrorCodes.HostUnreachable, $"the host answered an invalid VM id '{created.Id}'");
        for (var attempt = 0; ; attempt++)
        {
            var record = await work.Vms.SingleOrDefaultAsync(v => v.HostId == hostId && v.HostLocalId == localId, ct);
            if (record is null)
            {
                record = new VmRecord
                {
                    Id = await work.AllocateIdAsync(InventoryObjectKind.Vm, ct),
                    Name = name,
                    FolderId = folder,
                    HostId = hostId,
                    HostLocalId = localId,
                    Uuid = Guid.TryParse(created.Uuid, out var uuid) ? uuid : Guid.NewGuid(),
                    PowerState = HostInventorySync.ParsePowerState(created.PowerState),
                    Cpus = created.Cpus,
                    MemoryMiB = created.MemoryMiB,
                    RestartPriority = HostInventorySync.RestartPriorityOf(created),
                };
                work.Vms.Add(record);
            }
            else
            {
                record.Name = name;
                record.FolderId = folder;
            }

            try
            {
                await work.SaveChangesAsync(ct);
                return record;
            }
            catch (DbUpdateException ex) when (attempt == 0 && DatabaseErrors.IsUniqueViolation(ex))
            {
                // The heartbeat imported it between our read and write: take its record.
                work.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The VM's snapshot tree, as its host keeps it.</summary>
    public async Task<SnapshotTreeDto> ListSnapshotsAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        return await connections.Get(host.Id, credentials.For(host)).ListSnapshotsAsync(vm.HostLocalId!.Value.Value, cancellationToken);
    }

    public async Task<TaskDto> CreateSnapshotAsync(AuthenticatedUser actor, string id, SnapshotCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await SnapshotTaskAsync(actor, id, Privileges.VmSnapshotCreate, "VirtualMachine.createSnapshot", async (client, localId, vmId, name, work, context, ct) =>
        {
            var snapshot = await client.CreateSnapshotAsync(localId, request, ct);
            CenterEventLog.Add(work, time, CenterEventTypes.VmSnapshotCreated, $"{name}: snapshot '{snapshot.Name}' taken ({(snapshot.Memory ? "disks and memory" : "disks")})", vmId, name, actor.Name, context.Id);
            return snapshot;
        }, cancellationToken);
    }

    public Task<TaskDto> RevertSnapshotAsync(AuthenticatedUser actor, string id, string snapshot, CancellationToken cancellationToken) =>
        SnapshotTaskAsync(actor, id, Privileges.VmSnapshotRevert, "VirtualMachine.revertToSnapshot", async (client, localId, vmId, name, work, context, ct) =>
        {
            var after = await client.RevertSnapshotAsync(localId, snapshot, ct);
            var record = await work.Vms.SingleAsync(v => v.Id == vmId, ct);
            record.PowerState = HostInventorySync.ParsePowerState(after.PowerState);
            CenterEventLog.Add(work, time, CenterEventTypes.VmSnapshotReverted, $"{name} reverted to snapshot '{snapshot}', now {after.PowerState}", vmId, name, actor.Name, context.Id);
            return CenterVmMapper.ToDto(record);
        }, cancellationToken);

    public Task<TaskDto> DeleteSnapshotAsync(AuthenticatedUser actor, string id, string snapshot, CancellationToken cancellationToken) =>
        SnapshotTaskAsync(actor, id, Privileges.VmSnapshotRemove, "VirtualMachine.removeSnapshot", async (client, localId, vmId, name, work, context, ct) =>
        {
            await client.DeleteSnapshotAsync(localId, snapshot, ct);
            CenterEventLog.Add(work, time, CenterEventTypes.VmSnapshotDeleted, $"{name}: snapshot '{snapshot}' deleted", vmId, name, actor.Name, context.Id);
            return null;
        }, cancellationToken);

    /// <summary>A snapshot operation as a task on the VM: privilege checked now, the host called in the task, its event recorded with the task.</summary>
    private async Task<TaskDto> SnapshotTaskAsync(
        AuthenticatedUser actor,
        string id,
        string privilege,
        string descriptionId,
        Func<HostAgentClient, string, InventoryId, string, CenterDbContext, TaskContext, CancellationToken, Task<object?>> operation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, privilege, cancellationToken);
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        var settings = credentials.For(host);
        var (vmId, hostId, localId, name) = (vm.Id, host.Id, vm.HostLocalId!.Value.Value, vm.Name);
        return await tasks.QueueAsync(
            new TaskSpec(descriptionId, vmId, name, actor.Name),
            async (context, ct) =>
            {
                await using var work = context.CreateDbContext();
                var result = await versions.AroundAsync(hostId, () => operation(connections.Get(hostId, settings), localId, vmId, name, work, context, ct));
                await work.SaveChangesAsync(ct);
                return result;
            },
            cancellationToken);
    }

    private async Task<VmRecord> FindAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        VmRecord? vm = null;
        if (InventoryId.TryParse(id, out var vmId) && vmId.Kind == InventoryObjectKind.Vm)
        {
            vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == vmId, cancellationToken);
        }

        // Invisible VMs are reported as missing, so ids cannot be probed.
        if (vm is null || !await access.HasAsync(actor.Name, vm.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmNotFound, $"no VM '{id}'", "id"));
        }

        return vm;
    }

    private async Task<HostRecord> ConnectedHostAsync(VmRecord vm, bool requireOutOfMaintenance, CancellationToken cancellationToken)
    {
        var host = vm.HostId is { } hostId ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken) : null;
        if (host is null || vm.HostLocalId is null)
        {
            throw new DomainException(ErrorCodes.HostNotConnected, $"VM '{vm.Name}' is not registered on any host");
        }

        RequireUsable(host, requireOutOfMaintenance);
        return host;
    }

    private static void RequireUsable(HostRecord host, bool requireOutOfMaintenance)
    {
        if (host.ConnectionState != HostConnectionState.Connected)
        {
            throw new DomainException(ErrorCodes.HostNotConnected, $"host {host.Address} is {host.ConnectionState}: reconnect it first");
        }

        if (requireOutOfMaintenance && host.InMaintenanceMode)
        {
            throw new DomainException(ErrorCodes.HostInMaintenance, $"host {host.Address} is in maintenance mode");
        }
    }

    /// <summary>The host a new VM goes on: the given one, or the cluster's connected host with the least memory committed.</summary>
    private async Task<HostRecord> PlaceAsync(AuthenticatedUser actor, CenterVmCreateRequest request, string? datastore, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(request.Host) == !string.IsNullOrEmpty(request.Cluster))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "give exactly one of host and cluster", "host"));
        }

        if (!string.IsNullOrEmpty(request.Host))
        {
            var host = await FindHostAsync(db, request.Host, cancellationToken);
            if (!await access.HasAsync(actor.Name, host.Id, Privileges.SystemView, cancellationToken))
            {
                throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{request.Host}'", "host"));
            }

            RequireUsable(host, requireOutOfMaintenance: true);
            return host;
        }

        var clusters = InventoryId.TryParse(request.Cluster, out var clusterId) && clusterId.Kind == InventoryObjectKind.Cluster
            ? await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).ToListAsync(cancellationToken)
            : await db.Clusters.AsNoTracking().Where(c => c.Name == request.Cluster).ToListAsync(cancellationToken);
        var visible = new List<ClusterRecord>();
        foreach (var c in clusters)
        {
            if (await access.HasAsync(actor.Name, c.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(c);
            }
        }

        if (visible.Count != 1)
        {
            throw new DomainException(new DomainError(
                visible.Count == 0 ? ErrorCodes.InventoryNotFound : ErrorCodes.InvalidArgument,
                visible.Count == 0 ? $"no cluster '{request.Cluster}'" : $"cluster name '{request.Cluster}' is ambiguous: use its id",
                "cluster"));
        }

        var cluster = visible[0];
        var candidates = await db.Hosts.AsNoTracking()
            .Where(h => h.ClusterId == cluster.Id && h.ConnectionState == HostConnectionState.Connected && !h.InMaintenanceMode)
            .ToListAsync(cancellationToken);
        if (!string.IsNullOrEmpty(datastore))
        {
            var mounted = await db.DatastoreMounts.AsNoTracking()
                .Where(m => db.Datastores.Any(d => d.Id == m.DatastoreId && d.Name == datastore))
                .Select(m => m.HostId).ToListAsync(cancellationToken);
            candidates = candidates.Where(h => mounted.Contains(h.Id)).ToList();
        }

        if (candidates.Count == 0)
        {
            throw new DomainException(ErrorCodes.HostNoCapacity, string.IsNullOrEmpty(datastore)
                ? $"cluster '{cluster.Name}' has no connected host out of maintenance mode"
                : $"cluster '{cluster.Name}' has no connected host out of maintenance mode that mounts datastore '{datastore}'");
        }

        var ids = candidates.Select(h => h.Id).ToList();
        var committed = await db.Vms.AsNoTracking()
            .Where(v => v.HostId != null && ids.Contains(v.HostId.Value) && v.PowerState != VmPowerState.PoweredOff)
            .GroupBy(v => v.HostId)
            .Select(g => new { Host = g.Key!.Value, Memory = g.Sum(v => v.MemoryMiB) })
            .ToDictionaryAsync(g => g.Host, g => g.Memory, cancellationToken);
        return candidates.OrderBy(h => committed.GetValueOrDefault(h.Id)).ThenBy(h => h.Id.Value, StringComparer.Ordinal).First();
    }

    /// <summary>
    /// The host's own name for the datastore the request names. The Center calls a host's <c>local</c> datastore
    /// <c>local (host-N)</c>; given that name the VM goes to the host's <c>local</c>. A Center datastore the chosen
    /// host does not mount is refused before anything is queued; a name the Center does not know is the host's to judge.
    /// </summary>
    private async Task<string?> HostDatastoreNameAsync(string? datastore, HostRecord host, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(datastore))
        {
            return datastore;
        }

        var known = await db.Datastores.AsNoTracking()
            .Where(d => d.Name == datastore && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id))
            .Select(d => new { d.Id, d.Type, Mounted = db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == host.Id) })
            .ToListAsync(cancellationToken);
        if (known.Count == 0)
        {
            return datastore;
        }

        if (!known.Any(d => d.Mounted))
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {host.Id} does not mount datastore '{datastore}'", "spec.datastore"));
        }

        var suffix = $" ({host.Id.Value})";
        return known.Any(d => d.Mounted && d.Type == "local") && datastore.EndsWith(suffix, StringComparison.Ordinal)
            ? datastore[..^suffix.Length]
            : datastore;
    }

    /// <summary>A host by id (<c>host-N</c>), address, or <c>https://ADDRESS:PORT</c>.</summary>
    internal static async Task<HostRecord> FindHostAsync(CenterDbContext db, string idOrAddress, CancellationToken cancellationToken)
    {
        if (InventoryId.TryParse(idOrAddress, out var hostId) && hostId.Kind == InventoryObjectKind.Host)
        {
            return await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken)
                ?? throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{idOrAddress}'", "host"));
        }

        var address = idOrAddress;
        int? port = null;
        if (Uri.TryCreate(idOrAddress, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            address = uri.IdnHost;
            port = uri.Port;
        }

        var matches = await db.Hosts.AsNoTracking().Where(h => h.Address == address).ToListAsync(cancellationToken);
        if (port is { } p)
        {
            matches = matches.Where(h => h.Port == p).ToList();
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{idOrAddress}'", "host")),
            _ => throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"several hosts have address '{idOrAddress}': use the host id or https://ADDRESS:PORT", "host")),
        };
    }

    internal async Task<InventoryId> VmFolderAsync(string? folder, InventoryId hostId, CancellationToken cancellationToken)
    {
        var root = await HostInventorySync.RootVmFolderAsync(db, hostId, cancellationToken);
        if (string.IsNullOrEmpty(folder))
        {
            return root;
        }

        if (!InventoryId.TryParse(folder, out var folderId) || folderId.Kind != InventoryObjectKind.Folder
            || !await db.Folders.AnyAsync(f => f.Id == folderId && f.Kind == FolderKind.Vm, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no VM folder '{folder}'", "folder"));
        }

        var path = await InventoryAncestry.GetAsync(db, folderId, cancellationToken);
        var rootPath = await InventoryAncestry.GetAsync(db, root, cancellationToken);
        var datacenter = rootPath.First(id => id.Kind == InventoryObjectKind.Datacenter);
        if (!path.Contains(datacenter))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"folder '{folder}' is not in the datacenter of the chosen host", "folder"));
        }

        return folderId;
    }
}
