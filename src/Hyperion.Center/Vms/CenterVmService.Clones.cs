using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

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

        var datastore = request.Datastore;
        if (datastore is null && vm.DatastoreId is { } current)
        {
            datastore = await db.Datastores.AsNoTracking().Where(d => d.Id == current).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken);
        }

        var sourceDatastore = await HostDatastoreNameAsync(datastore, source, cancellationToken);
        string? targetDatastore = sourceDatastore;
        if (target.Id != source.Id)
        {
            if (datastore is null || !await MountedByBothAsync(datastore, source.Id, target.Id, cancellationToken))
            {
                throw new DomainException(new DomainError(ErrorCodes.DatastoreNotFound, $"a clone for host {target.Address} is made on a datastore both it and {source.Address} (the source's host) mount; '{datastore ?? "(none)"}' is not one (give --datastore)", "datastore"));
            }

            targetDatastore = await HostDatastoreNameAsync(datastore, target, cancellationToken);
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
                    return targetId == sourceId ? clone : await MoveCloneAsync(clone, sourceId, sourceSettings, targetId, targetSettings, targetDatastore!, request.PowerOn, ct);
                }));
                await context.ReportProgressAsync(90, ct);
                await using var work = context.CreateDbContext();
                var record = await RecordCreatedAsync(work, targetId, folder, name, created, ct);
                record.IsTemplate = created.Template;
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
    /// clones run on hosts other than the template's, where its own host cannot see them).
    /// </summary>
    private async Task RequireNoLinkedClonesAsync(VmRecord vm, string what, CancellationToken cancellationToken)
    {
        if (!vm.IsTemplate)
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
                throw new DomainException(ErrorCodes.HostNotConnected, $"cannot {what} of template '{vm.Name}' now: host {host.Address} does not answer, and it may run linked clones of it ({ex.Message})");
            }

            dependants.AddRange(listed.Where(v => string.Equals(v.LinkedTemplateUuid, uuid, StringComparison.OrdinalIgnoreCase)).Select(v => $"{v.Name} ({host.Address})"));
        }

        if (dependants.Count > 0)
        {
            dependants.Sort(StringComparer.Ordinal);
            throw new DomainException(ErrorCodes.TemplateInUse, $"cannot {what}: {dependants.Count} linked clone(s) depend on the disks of template '{vm.Name}': {string.Join(", ", dependants)}");
        }
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
