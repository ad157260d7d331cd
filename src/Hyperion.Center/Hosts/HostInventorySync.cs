using Hyperion.Center.Events;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Datastores;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Hosts;

/// <summary>
/// Makes the Center's VM records of one host converge to what the host reports: new VMs are added to the
/// datacenter's root VM folder, power state and size are updated, VMs the host no longer has are removed.
/// Idempotent; the caller saves.
/// </summary>
public static class HostInventorySync
{
    /// <returns>How many VM records were added, updated and removed.</returns>
    public static async Task<(int Added, int Updated, int Removed)> ApplyAsync(
        CenterDbContext db, HostRecord host, HostCallResult reported, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(time);
        host.MemoryMiB = reported.Host.MemoryMiB;
        var path = await InventoryAncestry.GetAsync(db, host.Id, cancellationToken);
        var datacenter = path.FirstOrDefault(id => id.Kind == InventoryObjectKind.Datacenter);
        var datastores = datacenter == default
            ? new Dictionary<string, InventoryId>(StringComparer.Ordinal)
            : await ApplyDatastoresAsync(db, host, datacenter, reported.Host.Datastores, cancellationToken);
        if (datacenter != default)
        {
            await ApplyNetworksAsync(db, datacenter, reported.Vms.SelectMany(v => v.Nics).Select(n => n.Network), cancellationToken);
        }

        return await ApplyVmsAsync(db, host, reported.Vms, datastores, time, cancellationToken);
    }

    /// <summary>The networks (bridges, vSphere's port groups) the host's VMs are attached to, as datacenter networks.</summary>
    private static async Task ApplyNetworksAsync(CenterDbContext db, InventoryId datacenter, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names.Where(n => InventoryNames.Validate(n) is null).Distinct(StringComparer.Ordinal))
        {
            if (!db.Networks.Local.Any(n => n.DatacenterId == datacenter && n.Name == name)
                && !await db.Networks.AnyAsync(n => n.DatacenterId == datacenter && n.Name == name, cancellationToken))
            {
                db.Networks.Add(new NetworkRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Network, cancellationToken), Name = name, DatacenterId = datacenter });
            }
        }
    }

    /// <summary>
    /// Datastores of the host's datacenter: a <c>local</c> datastore is the host's own (named
    /// <c>local (host-N)</c> in the datacenter when another host has one too); any other type is shared storage, the
    /// same datastore on every host that reports its name, as vCenter merges NFS mounts of one export.
    /// </summary>
    /// <returns>The Center datastore of each of the host's datastore names.</returns>
    private static async Task<Dictionary<string, InventoryId>> ApplyDatastoresAsync(
        CenterDbContext db, HostRecord host, InventoryId datacenter, IReadOnlyList<DatastoreDto> reported, CancellationToken cancellationToken)
    {
        var byHostName = new Dictionary<string, InventoryId>(StringComparer.Ordinal);
        var mounts = await db.DatastoreMounts.Where(m => m.HostId == host.Id).ToListAsync(cancellationToken);
        var keep = new HashSet<InventoryId>();
        foreach (var ds in reported)
        {
            var name = ds.Type == "local" ? $"{ds.Name} ({host.Id.Value})" : ds.Name;
            if (InventoryNames.Validate(name) is not null)
            {
                continue;
            }

            var record = db.Datastores.Local.FirstOrDefault(d => d.DatacenterId == datacenter && d.Name == name)
                ?? await db.Datastores.SingleOrDefaultAsync(d => d.DatacenterId == datacenter && d.Name == name, cancellationToken);
            if (record is null)
            {
                record = new DatastoreRecord
                {
                    Id = await db.AllocateIdAsync(InventoryObjectKind.Datastore, cancellationToken),
                    Name = name,
                    DatacenterId = datacenter,
                    Type = ds.Type,
                };
                db.Datastores.Add(record);
            }

            record.CapacityBytes = ds.CapacityBytes;
            record.FreeBytes = ds.FreeBytes;
            keep.Add(record.Id);
            byHostName[ds.Name] = record.Id;
            var mount = mounts.FirstOrDefault(m => m.DatastoreId == record.Id);
            if (mount is null)
            {
                db.DatastoreMounts.Add(new DatastoreMountRecord { HostId = host.Id, DatastoreId = record.Id, Path = ds.Path });
            }
            else if (mount.Path != ds.Path)
            {
                mount.Path = ds.Path;
            }
        }

        foreach (var gone in mounts.Where(m => !keep.Contains(m.DatastoreId)))
        {
            db.DatastoreMounts.Remove(gone);
        }

        return byHostName;
    }

    private static async Task<(int Added, int Updated, int Removed)> ApplyVmsAsync(
        CenterDbContext db, HostRecord host, IReadOnlyList<VmDto> reported, Dictionary<string, InventoryId> datastores, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await db.Vms.Where(v => v.HostId == host.Id).ToListAsync(cancellationToken);
        var byLocalId = existing.Where(v => v.HostLocalId is not null).ToDictionary(v => v.HostLocalId!.Value);
        var seen = new HashSet<VmId>();
        int added = 0, updated = 0, removed = 0;
        InventoryId? vmFolder = null;
        foreach (var vm in reported)
        {
            if (!VmId.TryParse(vm.Id, out var localId) || !seen.Add(localId))
            {
                continue;
            }

            var power = ParsePowerState(vm.PowerState);
            InventoryId? datastore = datastores.TryGetValue(vm.Datastore, out var ds) ? ds : null;
            if (byLocalId.TryGetValue(localId, out var record))
            {
                record.DatastoreId = datastore;
                record.IsTemplate = vm.Template;
                record.RestartPriority = RestartPriorityOf(vm);
                if (record.PowerState != power || record.Cpus != vm.Cpus || record.MemoryMiB != vm.MemoryMiB)
                {
                    // A power change a running task on this VM is making is that task's to record (with its user).
                    if (record.PowerState != power
                        && !await db.Tasks.AnyAsync(t => t.TargetId == record.Id && t.State == TaskState.Running, cancellationToken))
                    {
                        var type = power switch
                        {
                            VmPowerState.PoweredOn => CenterEventTypes.VmPoweredOn,
                            VmPowerState.Suspended => CenterEventTypes.VmSuspended,
                            _ => CenterEventTypes.VmPoweredOff,
                        };
                        CenterEventLog.Add(db, time, type, $"{record.Name} on {host.Address} is now {power} (reported by the host)", record.Id, record.Name);
                    }

                    record.PowerState = power;
                    record.Cpus = vm.Cpus;
                    record.MemoryMiB = vm.MemoryMiB;
                    updated++;
                }

                continue;
            }

            var uuid = Guid.TryParse(vm.Uuid, out var parsed) ? parsed : Guid.NewGuid();
            if (await db.Vms.AnyAsync(v => v.Uuid == uuid, cancellationToken))
            {
                // Registered on another host too (shared datastore): the first host keeps it until it is gone there.
                continue;
            }

            vmFolder ??= await RootVmFolderAsync(db, host.Id, cancellationToken);
            var discovered = new VmRecord
            {
                Id = await db.AllocateIdAsync(InventoryObjectKind.Vm, cancellationToken),
                Name = await FreeNameAsync(db, vmFolder.Value, vm.Name, host, cancellationToken),
                FolderId = vmFolder.Value,
                HostId = host.Id,
                DatastoreId = datastore,
                HostLocalId = localId,
                Uuid = uuid,
                PowerState = power,
                Cpus = vm.Cpus,
                MemoryMiB = vm.MemoryMiB,
                IsTemplate = vm.Template,
                RestartPriority = RestartPriorityOf(vm),
            };
            db.Vms.Add(discovered);
            CenterEventLog.Add(db, time, CenterEventTypes.VmDiscovered, $"{discovered.Name} found on host {host.Address}", discovered.Id, discovered.Name);
            added++;
        }

        foreach (var record in existing.Where(v => v.HostLocalId is null || !seen.Contains(v.HostLocalId.Value)))
        {
            db.Vms.Remove(record);
            CenterEventLog.Add(db, time, CenterEventTypes.VmRemoved, $"{record.Name} is no longer on host {host.Address}", record.Id, record.Name);
            removed++;
        }

        return (added, updated, removed);
    }

    /// <summary>The VM's HA restart priority as its host reports it; an unknown value counts as the default, <c>medium</c>.</summary>
    public static string RestartPriorityOf(VmDto vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return Contracts.Ha.HaRestartPriorities.All.Contains(vm.RestartPriority, StringComparer.Ordinal) ? vm.RestartPriority : Contracts.Ha.HaRestartPriorities.Medium;
    }

    public static VmPowerState ParsePowerState(string? value) =>
        Enum.TryParse<VmPowerState>(value, ignoreCase: true, out var state) ? state : VmPowerState.PoweredOff;

    /// <summary>The root VM folder of the datacenter the host is in.</summary>
    public static async Task<InventoryId> RootVmFolderAsync(CenterDbContext db, InventoryId hostId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var path = await InventoryAncestry.GetAsync(db, hostId, cancellationToken);
        var datacenter = path.First(id => id.Kind == InventoryObjectKind.Datacenter);
        return await db.Folders.AsNoTracking()
            .Where(f => f.DatacenterId == datacenter && f.Kind == FolderKind.Vm && f.ParentFolderId == null)
            .Select(f => f.Id)
            .SingleAsync(cancellationToken);
    }

    /// <summary>The VM's own name, or, when another VM in the folder has it, the name qualified by the host (names are unique per folder).</summary>
    private static async Task<string> FreeNameAsync(CenterDbContext db, InventoryId folder, string name, HostRecord host, CancellationToken cancellationToken)
    {
        var candidate = Truncate(name);
        if (!await NameTakenAsync(db, folder, candidate, cancellationToken))
        {
            return candidate;
        }

        var suffix = $" ({host.Id.Value})";
        candidate = Truncate(name, suffix.Length) + suffix;
        for (var n = 2; await NameTakenAsync(db, folder, candidate, cancellationToken); n++)
        {
            suffix = $" ({host.Id.Value} {n})";
            candidate = Truncate(name, suffix.Length) + suffix;
        }

        return candidate;
    }

    private static async Task<bool> NameTakenAsync(CenterDbContext db, InventoryId folder, string name, CancellationToken cancellationToken) =>
        db.Vms.Local.Any(v => v.FolderId == folder && v.Name == name)
        || await db.Vms.AnyAsync(v => v.FolderId == folder && v.Name == name, cancellationToken);

    private static string Truncate(string name, int reserve = 0)
    {
        var max = InventoryNames.MaxLength - reserve;
        return name.Length <= max ? name : name[..max];
    }
}
