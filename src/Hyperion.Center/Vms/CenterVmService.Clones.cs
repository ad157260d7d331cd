using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Ha;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Center.Vms;

/// <summary>
/// Clone, deploy from template, mark as template / as VM. The source's host makes the copy (full or linked, see the
/// host agent); a clone for another host is made on a datastore both hosts mount, then moved to the other host by
/// unregistering and registering it there (no bytes move twice). A template cannot be powered on, and it is not
/// deleted while a linked clone on any connected host depends on it.
/// </summary>
public sealed partial class CenterVmService
{
    public async Task<TaskDto> CloneAsync(AuthenticatedUser actor, string id, CenterVmCloneRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (InventoryNames.Validate(request.Name, "name") is { } invalid)
        {
            throw new DomainException(invalid);
        }

        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, vm.IsTemplate ? Privileges.VmDeployTemplate : Privileges.VmClone, cancellationToken);
        if (request.Customization is not null)
        {
            await access.RequireAsync(actor.Name, vm.Id, Privileges.VmCustomize, cancellationToken);
        }

        var source = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        var target = source;
        if (!string.IsNullOrEmpty(request.Host))
        {
            target = await FindHostAsync(db, request.Host, cancellationToken);
            if (!await access.HasAsync(actor.Name, target.Id, Privileges.SystemView, cancellationToken))
            {
                throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{request.Host}'", "host"));
            }

            RequireUsable(target, requireOutOfMaintenance: true);
        }

        var folder = await VmFolderAsync(request.Folder ?? vm.FolderId.Value, target.Id, cancellationToken);
        await access.RequireAsync(actor.Name, folder, Privileges.VmCreateFromExisting, cancellationToken);
        await access.RequireAsync(actor.Name, target.Id, Privileges.VmCreateFromExisting, cancellationToken);
        if (await db.Vms.AnyAsync(v => v.FolderId == folder && v.Name == request.Name, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmDuplicateName, $"a VM named '{request.Name}' is already in folder {folder}", "name"));
        }

        var datastore = request.Datastore ?? await SourceDatastoreAsync(vm, source, cancellationToken);

        string? targetDatastore = null;
        string? relayTo = null;
        if (target.Id != source.Id && (datastore is null || !await MountedByBothAsync(datastore, source.Id, target.Id, cancellationToken)))
        {
            // No datastore both hosts see: the copy is made next to the source, then moved over with its disks
            // (a powered-off shared-nothing relocation) to the datastore the target mounts.
            if (request.Linked)
            {
                throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"a linked clone for host {target.Address} needs its template's datastore mounted there too", "datastore"));
            }

            relayTo = request.Datastore ?? await db.Datastores.AsNoTracking()
                .Where(d => d.Type == "local" && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == target.Id))
                .Select(d => d.Name).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {target.Address} has no local datastore: give --datastore", "datastore"));
            if (!await db.Datastores.AsNoTracking().AnyAsync(d => d.Name == relayTo && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == target.Id), cancellationToken))
            {
                throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"host {target.Address} does not mount datastore '{relayTo}'", "datastore"));
            }

            datastore = await SourceDatastoreAsync(vm, source, cancellationToken);
        }
        else if (target.Id != source.Id)
        {
            targetDatastore = await HostDatastoreNameAsync(datastore, target, cancellationToken);
        }

        var sourceDatastore = await HostDatastoreNameAsync(datastore, source, cancellationToken);

        if (request.PowerOn)
        {
            // The clone is a copy of the source's configuration, HA restart priority included.
            await HaAdmission.RequirePowerOnAsync(db, target.Id, request.Name, vm.MemoryMiB, vm.RestartPriority, null, cancellationToken);
        }

        var sourceSettings = credentials.For(source);
        var targetSettings = credentials.For(target);
        var (sourceId, targetId, localId, vmName, name) = (source.Id, target.Id, vm.HostLocalId!.Value.Value, vm.Name, request.Name);
        var hostRequest = new VmCloneRequest(name)
        {
            Datastore = sourceDatastore,
            Linked = request.Linked,
            Snapshot = request.Snapshot,
            PowerOn = request.PowerOn && targetId == sourceId,
            Customization = request.Customization,
        };
        return await tasks.QueueAsync(
            new TaskSpec("VirtualMachine.clone", vm.Id, vmName, actor.Name),
            async (context, ct) =>
            {
                await context.ReportProgressAsync(5, ct);
                var created = await versions.AroundAsync(sourceId, () => versions.AroundAsync(targetId, async () =>
                {
                    var clone = await connections.Get(sourceId, sourceSettings).CloneVmAsync(localId, hostRequest, ct);
                    return targetId == sourceId || relayTo is not null ? clone : await MoveCloneAsync(clone, sourceId, sourceSettings, targetId, targetSettings, targetDatastore!, request.PowerOn, ct);
                }));
                await context.ReportProgressAsync(90, ct);
                await using var work = context.CreateDbContext();
                var record = await RecordCreatedAsync(work, relayTo is null ? targetId : sourceId, folder, name, created, ct);
                record.IsTemplate = created.Template;
                if (relayTo is not null)
                {
                    await work.SaveChangesAsync(ct);
                    record = await RelayCloneAsync(actor, record, target.Id, relayTo, request.PowerOn, context, ct);
                }

                CenterEventLog.Add(work, time, CenterEventTypes.VmCloned, $"{name} {(request.Linked ? "linked-cloned" : "cloned")} from {vmName} on {targetSettings.Endpoint.Address}{(request.Customization is null ? string.Empty : ", customized")}", record.Id, name, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                return CenterVmMapper.ToDto(record);
            },
            cancellationToken);
    }

    /// <summary>vSphere's MarkAsTemplate / MarkAsVirtualMachine, as a task on the VM.</summary>
    public async Task<TaskDto> MarkTemplateAsync(AuthenticatedUser actor, string id, bool template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vm = await FindAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, vm.Id, template ? Privileges.VmMarkAsTemplate : Privileges.VmMarkAsVm, cancellationToken);
        if (template && vm.PowerState != Domain.Vms.VmPowerState.PoweredOff)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{vm.Name}' is {vm.PowerState}: power it off before marking it as a template");
        }

        if (!template)
        {
            await RequireNoLinkedClonesAsync(vm, "turn it back into a VM", cancellationToken);
        }

        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        var settings = credentials.For(host);
        var (vmId, hostId, localId, name) = (vm.Id, host.Id, vm.HostLocalId!.Value.Value, vm.Name);
        return await tasks.QueueAsync(
            new TaskSpec(template ? "VirtualMachine.markAsTemplate" : "VirtualMachine.markAsVirtualMachine", vmId, name, actor.Name),
            async (context, ct) =>
            {
                var after = await versions.AroundAsync(hostId, () => connections.Get(hostId, settings).MarkTemplateAsync(localId, template, ct));
                await using var work = context.CreateDbContext();
                var record = await work.Vms.SingleOrDefaultAsync(v => v.Id == vmId, ct);
                if (record is null)
                {
                    return null;
                }

                record.IsTemplate = after.Template;
                CenterEventLog.Add(work, time, template ? CenterEventTypes.VmMarkedTemplate : CenterEventTypes.VmMarkedVm, template ? $"{name} marked as template" : $"{name} turned into a virtual machine", vmId, name, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                return CenterVmMapper.ToDto(record);
            },
            cancellationToken);
    }

    /// <summary>
    /// Refuses when a VM on any connected host is a linked clone of <paramref name="vm"/> (a shared datastore lets
    /// clones run on hosts other than the parent's, where its own host cannot see them). A VM that is not a template is
    /// a parent only when its host says it runs on delta disks over its own images.
    /// </summary>
    private async Task RequireNoLinkedClonesAsync(VmRecord vm, string what, CancellationToken cancellationToken)
    {
        if (!vm.IsTemplate && !await IsLinkedCloneParentAsync(vm, cancellationToken))
        {
            return;
        }

        var uuid = vm.Uuid.ToString("D");
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ConnectionState == HostConnectionState.Connected).ToListAsync(cancellationToken);
        var dependants = new List<string>();
        foreach (var host in hosts)
        {
            List<VmDto> listed;
            try
            {
                listed = await connections.Get(host.Id, credentials.For(host)).ListVmsAsync(cancellationToken);
            }
            catch (DomainException ex) when (ex.Code is ErrorCodes.HostUnreachable or ErrorCodes.HostNotConnected)
            {
                throw new DomainException(ErrorCodes.HostNotConnected, $"cannot {what} of '{vm.Name}' now: host {host.Address} does not answer, and it may run linked clones of it ({ex.Message})");
            }

            dependants.AddRange(listed.Where(v => string.Equals(v.LinkedTemplateUuid, uuid, StringComparison.OrdinalIgnoreCase)).Select(v => $"{v.Name} ({host.Address})"));
        }

        if (dependants.Count > 0)
        {
            dependants.Sort(StringComparer.Ordinal);
            throw new DomainException(ErrorCodes.TemplateInUse, $"cannot {what}: {dependants.Count} linked clone(s) depend on the disks of '{vm.Name}': {string.Join(", ", dependants)}");
        }
    }

    private async Task<bool> IsLinkedCloneParentAsync(VmRecord vm, CancellationToken cancellationToken)
    {
        var host = await ConnectedHostAsync(vm, requireOutOfMaintenance: false, cancellationToken);
        return (await connections.Get(host.Id, credentials.For(host)).GetVmAsync(vm.HostLocalId!.Value.Value, cancellationToken)).LinkedCloneParent;
    }

    /// <summary>
    /// Moves a clone just made on the source's host to the target host's <paramref name="datastore"/> with its disks
    /// (the migration service's powered-off shared-nothing relocation, as a task of its own this one waits for). If
    /// that fails the clone is deleted, so a failed clone leaves nothing behind.
    /// </summary>
    private async Task<VmRecord> RelayCloneAsync(AuthenticatedUser actor, VmRecord clone, InventoryId target, string datastore, bool powerOn, TaskContext context, CancellationToken ct)
    {
        await context.ReportProgressAsync(50, ct);
        TaskDto moved;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var migrations = scope.ServiceProvider.GetRequiredService<Migrations.MigrationService>();
            var relocation = await migrations.MigrateAsync(actor, clone.Id.Value, new VmMigrateRequest(target.Value, datastore), ct);
            moved = await tasks.WaitAsync(TaskId.TryParse(relocation.Id, out var taskId) ? taskId : throw new InvalidOperationException($"bad task id {relocation.Id}"), HostAgentClient.TransferTimeout, ct);
        }

        await using var work = context.CreateDbContext();
        var record = await work.Vms.SingleAsync(v => v.Id == clone.Id, ct);
        if (moved.State != "success" || record.HostId != target)
        {
            if (record.HostId is { } hostId && record.HostLocalId is { } localId && await work.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId, ct) is { } host)
            {
                await connections.Get(host.Id, credentials.For(host)).DeleteVmAsync(localId.Value, CancellationToken.None);
                work.Vms.Remove(record);
                await work.SaveChangesAsync(CancellationToken.None);
            }

            throw new DomainException(ErrorCodes.MigrationFailed, $"the clone was made but could not be moved to the target host ({moved.Error?.Message ?? moved.State}); it was deleted");
        }

        if (powerOn)
        {
            var host = await work.Hosts.AsNoTracking().SingleAsync(h => h.Id == target, ct);
            var after = await connections.Get(host.Id, credentials.For(host)).PowerVmAsync(record.HostLocalId!.Value.Value, "power-on", ct);
            record.PowerState = HostInventorySync.ParsePowerState(after.PowerState);
            await work.SaveChangesAsync(ct);
        }

        return record;
    }

    /// <summary>
    /// The Center's name of the datastore holding the VM: from its record, or — before a heartbeat described a VM just
    /// made — from its host, matched among the datastores that host mounts.
    /// </summary>
    private async Task<string?> SourceDatastoreAsync(VmRecord vm, HostRecord host, CancellationToken cancellationToken)
    {
        if (vm.DatastoreId is { } known)
        {
            return await db.Datastores.AsNoTracking().Where(d => d.Id == known).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken);
        }

        var onHost = (await connections.Get(host.Id, credentials.For(host)).GetVmAsync(vm.HostLocalId!.Value.Value, cancellationToken)).Datastore;
        var mounted = await db.Datastores.AsNoTracking()
            .Where(d => db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == host.Id))
            .Select(d => new { d.Name, d.Type })
            .ToListAsync(cancellationToken);
        return mounted.FirstOrDefault(d => d.Name == onHost)?.Name
            ?? (onHost == "local" ? mounted.FirstOrDefault(d => d.Type == "local")?.Name : null);
    }

    private Task<bool> MountedByBothAsync(string datastore, InventoryId first, InventoryId second, CancellationToken cancellationToken) =>
        db.Datastores.AsNoTracking().AnyAsync(
            d => d.Name == datastore
                && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == first)
                && db.DatastoreMounts.Any(m => m.DatastoreId == d.Id && m.HostId == second),
            cancellationToken);

    /// <summary>
    /// Hands a clone made on the source's host over to the target host (same files, shared datastore): unregistered
    /// there, registered here, powered on if asked. If the target refuses, the clone is deleted so nothing is left half-made.
    /// </summary>
    private async Task<VmDto> MoveCloneAsync(VmDto clone, InventoryId sourceId, HostConnectionSettings sourceSettings, InventoryId targetId, HostConnectionSettings targetSettings, string targetDatastore, bool powerOn, CancellationToken ct)
    {
        var sourceClient = connections.Get(sourceId, sourceSettings);
        var targetClient = connections.Get(targetId, targetSettings);
        await sourceClient.UnregisterVmAsync(clone.Id, ct);
        VmDto registered;
        try
        {
            registered = await targetClient.RegisterVmAsync(new VmRegisterRequest(targetDatastore, Path.GetFileName(clone.Folder)), ct);
        }
        catch (DomainException)
        {
            var back = await sourceClient.RegisterVmAsync(new VmRegisterRequest(clone.Datastore, Path.GetFileName(clone.Folder)), CancellationToken.None);
            await sourceClient.DeleteVmAsync(back.Id, CancellationToken.None);
            throw;
        }

        return powerOn ? await targetClient.PowerVmAsync(registered.Id, "power-on", ct) : registered;
    }
}
