using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Tasks;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Actions;

/// <summary>
/// What the action toolbar and its dialogs read from the Center, as the signed-in user: an object's state and the
/// user's privileges on it, the choices of the New VM wizard (folders, compute resources, datastores, networks, the
/// hosts' CPU and memory sizes), a VM's disks and NICs as its host reports them, and a task's outcome. Only objects
/// the user may see (<see cref="Privileges.SystemView"/>) are read; mutations go through the Center's services.
/// </summary>
public sealed class ActionsData(CenterSession session)
{
    /// <summary>How long a host's size lookup may take before the wizard goes on without it (the API still checks).</summary>
    private static readonly TimeSpan HostInfoTimeout = TimeSpan.FromSeconds(5);

    private static readonly PageRequest AllRows = new(PageRequest.MaxLimit, null);

    public Task<ActionTarget> TargetAsync(string objectId, CancellationToken cancellationToken = default) =>
        session.RunAsync(async (services, user, ct) =>
        {
            var access = services.GetRequiredService<AccessControl>();
            var db = services.GetRequiredService<CenterDbContext>();
            var id = InventoryId.TryParse(objectId, out var parsed) ? parsed : throw NotFound(objectId);
            var privileges = await access.PrivilegesAsync(user.Name, id, ct);
            if (!privileges.Contains(Privileges.SystemView))
            {
                throw NotFound(objectId);
            }

            var tree = await access.TreeAsync(ct);
            ActionTarget target;
            InventoryId? start = id;
            switch (id.Kind)
            {
                case InventoryObjectKind.Vm:
                    var vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) ?? throw NotFound(objectId);
                    var vmHost = vm.HostId is { } h ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == h, ct) : null;
                    target = new ActionTarget(objectId, id.Kind, vm.Name, privileges)
                    {
                        PowerState = vm.PowerState,
                        IsTemplate = vm.IsTemplate,
                        HostName = vmHost?.Address,
                        HostConnection = vmHost?.ConnectionState,
                        HostInMaintenance = vmHost?.InMaintenanceMode ?? false,
                    };
                    start = vm.FolderId;
                    break;
                case InventoryObjectKind.Host:
                    var host = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw NotFound(objectId);
                    target = new ActionTarget(objectId, id.Kind, host.Address, privileges)
                    {
                        HostName = host.Address,
                        HostConnection = host.ConnectionState,
                        HostInMaintenance = host.InMaintenanceMode,
                    };
                    break;
                case InventoryObjectKind.Folder:
                    var folder = await db.Folders.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct) ?? throw NotFound(objectId);
                    target = new ActionTarget(objectId, id.Kind, folder.Name, privileges)
                    {
                        FolderKind = folder.Kind,
                        IsDatacenterRootFolder = folder.ParentFolderId is null && folder.DatacenterId is not null,
                    };
                    break;
                default:
                    target = new ActionTarget(objectId, id.Kind, await NameAsync(db, id, ct) ?? throw NotFound(objectId), privileges);
                    break;
            }

            var datacenter = DatacenterOf(tree, start);
            if (datacenter is not { } dc)
            {
                return target;
            }

            var dcName = await db.Datacenters.AsNoTracking().Where(d => d.Id == dc).Select(d => d.Name).SingleAsync(ct);
            var roots = await db.Folders.AsNoTracking().Where(f => f.DatacenterId == dc && f.ParentFolderId == null).ToListAsync(ct);
            var vmFolder = roots.Single(f => f.Kind == FolderKind.Vm).Id;
            var hostFolder = roots.Single(f => f.Kind == FolderKind.Host).Id;
            return target with
            {
                DatacenterId = dc.Value,
                DatacenterName = dcName,
                VmFolderId = vmFolder.Value,
                VmFolderPrivileges = await access.PrivilegesAsync(user.Name, vmFolder, ct),
                HostFolderId = hostFolder.Value,
                HostFolderPrivileges = await access.PrivilegesAsync(user.Name, hostFolder, ct),
            };
        },
        cancellationToken);

    /// <summary>The New VM wizard's choices in <paramref name="target"/>'s datacenter, with the folder and compute resource preselected from it.</summary>
    public Task<NewVmChoices> NewVmChoicesAsync(ActionTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var dcId = target.DatacenterId is { } d ? InventoryId.Parse(d) : throw new DomainException(ErrorCodes.InventoryNotFound, $"{target.Name} is not in a datacenter");
        return session.RunAsync(async (services, user, ct) =>
        {
            var access = services.GetRequiredService<AccessControl>();
            var db = services.GetRequiredService<CenterDbContext>();
            var tree = await access.TreeAsync(ct);
            var subtree = tree.Subtree(dcId);

            var folderIds = subtree.Where(o => tree.FolderKindOf(o) == FolderKind.Vm).ToList();
            var folderRecords = await db.Folders.AsNoTracking().Where(f => folderIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
            var folders = new List<FolderChoice>();
            foreach (var id in folderIds)
            {
                if (await access.HasAsync(user.Name, id, Privileges.SystemView, ct))
                {
                    folders.Add(new FolderChoice(id.Value, FolderPath(folderRecords, id)));
                }
            }

            var clusterIds = subtree.Where(o => o.Kind == InventoryObjectKind.Cluster).ToList();
            var hostIds = subtree.Where(o => o.Kind == InventoryObjectKind.Host).ToList();
            var clusters = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).OrderBy(c => c.Name).ToListAsync(ct);
            var hosts = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).OrderBy(h => h.Address).ToListAsync(ct);
            var usable = new List<HostRecord>();
            foreach (var host in hosts.Where(h => h.ConnectionState == HostConnectionState.Connected && !h.InMaintenanceMode))
            {
                if (await access.HasAsync(user.Name, host.Id, Privileges.SystemView, ct))
                {
                    usable.Add(host);
                }
            }

            var capacities = await CapacitiesAsync(services, usable, ct);
            var compute = new List<ComputeChoice>();
            foreach (var cluster in clusters)
            {
                var members = usable.Where(h => h.ClusterId == cluster.Id).ToList();
                if (members.Count > 0 && await access.HasAsync(user.Name, cluster.Id, Privileges.SystemView, ct))
                {
                    var known = members.Select(m => capacities.GetValueOrDefault(m.Id)).ToList();
                    compute.Add(new ComputeChoice(cluster.Id.Value, cluster.Name, true, members.Select(m => m.Id.Value).ToList(),
                        known.Any(c => c is null) ? null : VmHardwareRules.Smallest(known!)));
                }
            }

            compute.AddRange(usable.Select(h => new ComputeChoice(h.Id.Value, h.Address, false, [h.Id.Value], capacities.GetValueOrDefault(h.Id))));

            var storage = services.GetRequiredService<StorageQueries>();
            var datastores = (await storage.ListDatastoresAsync(user, dcId.Value, null, AllRows, ct)).Items;
            var networks = (await storage.ListNetworksAsync(user, dcId.Value, null, AllRows, ct)).Items;

            var preselectedFolder = target.Kind == InventoryObjectKind.Folder && target.FolderKind == FolderKind.Vm ? target.Id : target.VmFolderId;
            var preselectedCompute = target.Kind switch
            {
                InventoryObjectKind.Cluster or InventoryObjectKind.Host => compute.FirstOrDefault(c => c.Id == target.Id),
                _ => compute.Count == 1 ? compute[0] : null,
            };
            return new NewVmChoices(dcId.Value, target.DatacenterName ?? dcId.Value, folders.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
                preselectedFolder, compute, preselectedCompute, datastores, networks);
        },
        cancellationToken);
    }

    /// <summary>The Migrate dialog's choices for <paramref name="vm"/>: the other hosts of its datacenter the user may see, their datastores, and where the VM is now.</summary>
    public Task<MigrateChoices> MigrateChoicesAsync(ActionTarget vm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var dcId = vm.DatacenterId is { } d ? InventoryId.Parse(d) : throw new DomainException(ErrorCodes.InventoryNotFound, $"{vm.Name} is not in a datacenter");
        return session.RunAsync(async (services, user, ct) =>
        {
            var current = await services.GetRequiredService<CenterVmService>().GetAsync(user, vm.Id, ct);
            var access = services.GetRequiredService<AccessControl>();
            var db = services.GetRequiredService<CenterDbContext>();
            var record = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == InventoryId.Parse(vm.Id), ct) ?? throw NotFound(vm.Id);
            var tree = await access.TreeAsync(ct);
            var hostIds = tree.Subtree(dcId).Where(o => o.Kind == InventoryObjectKind.Host && o != record.HostId).ToList();
            var hosts = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(ct);
            var clusterIds = hosts.Where(h => h.ClusterId is not null).Select(h => h.ClusterId!.Value).Distinct().ToList();
            var clusters = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
            var choices = new List<MigrateHostChoice>();
            foreach (var host in hosts)
            {
                if (await access.HasAsync(user.Name, host.Id, Privileges.SystemView, ct))
                {
                    var cluster = host.ClusterId is { } c ? clusters.GetValueOrDefault(c) : null;
                    choices.Add(new MigrateHostChoice(host.Id.Value, host.Address, host.Port, cluster, host.ConnectionState, host.InMaintenanceMode));
                }
            }

            var currentHost = record.HostId is { } h ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == h, ct) : null;
            var datastores = (await services.GetRequiredService<StorageQueries>().ListDatastoresAsync(user, dcId.Value, null, AllRows, ct)).Items;
            return new MigrateChoices(
                current.Id,
                current.Name,
                current.PowerState,
                currentHost?.Id.Value,
                currentHost is null ? null : $"{currentHost.Address}:{currentHost.Port}",
                record.DatastoreId is { } ds ? datastores.FirstOrDefault(x => x.Id == ds.Value) : null,
                vm.DatacenterName ?? dcId.Value,
                choices,
                datastores);
        },
        cancellationToken);
    }

    /// <summary>The Clone dialog's choices for <paramref name="vm"/> (a VM or a template): the hosts of its datacenter the user may see, their datastores, and the source's host, datastore and folder.</summary>
    public Task<CloneChoices> CloneChoicesAsync(ActionTarget vm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var dcId = vm.DatacenterId is { } d ? InventoryId.Parse(d) : throw new DomainException(ErrorCodes.InventoryNotFound, $"{vm.Name} is not in a datacenter");
        return session.RunAsync(async (services, user, ct) =>
        {
            var current = await services.GetRequiredService<CenterVmService>().GetAsync(user, vm.Id, ct);
            var access = services.GetRequiredService<AccessControl>();
            var db = services.GetRequiredService<CenterDbContext>();
            var record = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == InventoryId.Parse(vm.Id), ct) ?? throw NotFound(vm.Id);
            var tree = await access.TreeAsync(ct);
            var hostIds = tree.Subtree(dcId).Where(o => o.Kind == InventoryObjectKind.Host).ToList();
            var hosts = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(ct);
            var clusterIds = hosts.Where(h => h.ClusterId is not null).Select(h => h.ClusterId!.Value).Distinct().ToList();
            var clusters = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
            var choices = new List<CloneHostChoice>();
            foreach (var host in hosts)
            {
                if (await access.HasAsync(user.Name, host.Id, Privileges.SystemView, ct))
                {
                    var cluster = host.ClusterId is { } c ? clusters.GetValueOrDefault(c) : null;
                    choices.Add(new CloneHostChoice(
                        new MigrateHostChoice(host.Id.Value, host.Address, host.Port, cluster, host.ConnectionState, host.InMaintenanceMode),
                        host.Id == record.HostId,
                        await access.HasAsync(user.Name, host.Id, Privileges.VmCreateFromExisting, ct)));
                }
            }

            // The source's own host first: it is the default.
            choices = [.. choices.Where(c => c.IsSource), .. choices.Where(c => !c.IsSource)];
            var folders = await db.Folders.AsNoTracking().Where(f => f.DatacenterId == dcId).ToDictionaryAsync(f => f.Id, ct);
            var datastores = (await services.GetRequiredService<StorageQueries>().ListDatastoresAsync(user, dcId.Value, null, AllRows, ct)).Items;
            return new CloneChoices(
                current.Id,
                current.Name,
                current.Template,
                current.PowerState,
                record.HostId?.Value,
                record.DatastoreId is { } ds ? datastores.FirstOrDefault(x => x.Id == ds.Value) : null,
                record.FolderId.Value,
                FolderPath(folders, record.FolderId),
                await access.HasAsync(user.Name, record.FolderId, Privileges.VmCreateFromExisting, ct),
                await access.HasAsync(user.Name, record.Id, Privileges.VmCustomize, ct),
                choices)
            {
                Datastores = datastores,
            };
        },
        cancellationToken);
    }

    /// <summary>A VM's snapshot tree as its host keeps it (the Center asks the host).</summary>
    public Task<SnapshotTreeDto> SnapshotsAsync(string vmId, CancellationToken cancellationToken = default) =>
        session.CallAsync<CenterVmService, SnapshotTreeDto>((s, user, ct) => s.ListSnapshotsAsync(user, vmId, ct), cancellationToken);

    /// <summary>Names of the VMs already in <paramref name="folderId"/> and, when a host is chosen, on that host (the host agent's names are unique too).</summary>
    public Task<IReadOnlyList<string>> TakenVmNamesAsync(string name, string? folderId, string? hostId, CancellationToken cancellationToken = default) =>
        session.CallAsync<VmQueries, IReadOnlyList<string>>(async (queries, user, ct) =>
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return [];
            }

            var taken = new List<string>();
            if (folderId is not null)
            {
                var inFolder = await queries.ListAsync(user, new VmListFilter(Name: name, Folder: folderId), AllRows, ct);
                taken.AddRange(inFolder.Items.Where(v => v.FolderId == folderId).Select(v => v.Name));
            }

            if (hostId is not null)
            {
                var onHost = await queries.ListAsync(user, new VmListFilter(Name: name, Host: hostId), AllRows, ct);
                taken.AddRange(onHost.Items.Select(v => v.Name));
            }

            return taken.Where(n => string.Equals(n, name, StringComparison.Ordinal)).Distinct().ToList();
        },
        cancellationToken);

    /// <summary>A VM's configuration as its host reports it (disks, NICs, boot), with its host's size; null details when the host cannot be asked now.</summary>
    public Task<VmDetails> VmDetailsAsync(string vmId, CancellationToken cancellationToken = default) =>
        session.RunAsync(async (services, user, ct) =>
        {
            var vm = await services.GetRequiredService<CenterVmService>().GetAsync(user, vmId, ct);
            var db = services.GetRequiredService<CenterDbContext>();
            var host = vm.HostId is { } h ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == InventoryId.Parse(h), ct) : null;
            if (host is null || vm.HostLocalId is null || host.ConnectionState != HostConnectionState.Connected)
            {
                return new VmDetails(vm, null, null, host is null ? "the VM is on no host" : $"host {host.Address} is {ActionRules.Describe(host.ConnectionState)}");
            }

            var client = services.GetRequiredService<HostConnections>().Get(host.Id, services.GetRequiredService<HostCredentials>().For(host));
            try
            {
                var config = await client.GetVmAsync(vm.HostLocalId, ct);
                var capacities = await CapacitiesAsync(services, [host], ct);
                return new VmDetails(vm, config, capacities.GetValueOrDefault(host.Id), null);
            }
            catch (DomainException ex)
            {
                return new VmDetails(vm, null, null, CenterSession.Describe(ex));
            }
        },
        cancellationToken);

    /// <summary>Waits until the task ends (success, error or cancelled) and answers its final state.</summary>
    public async Task<TaskDto> WaitForTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var task = await session.CallAsync<TaskService, TaskDto>((s, user, ct) => s.GetAsync(user, taskId, TimeSpan.FromSeconds(30), ct), cancellationToken);
            if (task.State is "success" or "error" or "cancelled")
            {
                return task;
            }
        }
    }

    /// <summary>The CPUs and memory of each host that answers in time (a host that does not is left out: the API still checks).</summary>
    private static async Task<Dictionary<InventoryId, HostCapacity?>> CapacitiesAsync(IServiceProvider services, IReadOnlyList<HostRecord> hosts, CancellationToken cancellationToken)
    {
        var connections = services.GetRequiredService<HostConnections>();
        var credentials = services.GetRequiredService<HostCredentials>();
        var lookups = hosts.Select(async host =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(HostInfoTimeout);
            try
            {
                var info = await connections.Get(host.Id, credentials.For(host)).GetHostInfoAsync(timeout.Token);
                return (host.Id, Capacity: (HostCapacity?)new HostCapacity(info.Cores, info.MemoryMiB));
            }
            catch (Exception ex) when (ex is DomainException or OperationCanceledException or HttpRequestException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return (host.Id, Capacity: (HostCapacity?)null);
            }
        });
        return (await Task.WhenAll(lookups)).ToDictionary(x => x.Id, x => x.Capacity);
    }

    /// <summary>The datacenter <paramref name="start"/> is in (itself included), or null.</summary>
    internal static InventoryId? DatacenterOf(InventoryTree tree, InventoryId? start)
    {
        for (var at = start; at is { } id; at = tree.ParentOf(id))
        {
            if (id.Kind == InventoryObjectKind.Datacenter)
            {
                return id;
            }
        }

        return null;
    }

    private static string FolderPath(Dictionary<InventoryId, FolderRecord> folders, InventoryId id)
    {
        var names = new List<string>();
        for (InventoryId? at = id; at is { } f && folders.TryGetValue(f, out var record); at = record.ParentFolderId)
        {
            names.Insert(0, record.Name);
        }

        return string.Join('/', names);
    }

    private static async Task<string?> NameAsync(CenterDbContext db, InventoryId id, CancellationToken ct) => id.Kind switch
    {
        InventoryObjectKind.Datacenter => await db.Datacenters.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(ct),
        InventoryObjectKind.Cluster => await db.Clusters.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(ct),
        InventoryObjectKind.Datastore => await db.Datastores.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(ct),
        InventoryObjectKind.Network => await db.Networks.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(ct),
        _ => null,
    };

    private static DomainException NotFound(string id) => new(new DomainError(ErrorCodes.InventoryNotFound, $"no inventory object '{id}'", "id"));
}

/// <summary>A VM folder the wizard offers, by its path in the datacenter (<c>vm/web</c>).</summary>
public sealed record FolderChoice(string Id, string Path);

/// <summary>The New VM wizard's choices in one datacenter.</summary>
public sealed record NewVmChoices(
    string DatacenterId,
    string DatacenterName,
    IReadOnlyList<FolderChoice> Folders,
    string? PreselectedFolderId,
    IReadOnlyList<ComputeChoice> Compute,
    ComputeChoice? PreselectedCompute,
    IReadOnlyList<CenterDatastoreDto> Datastores,
    IReadOnlyList<CenterNetworkDto> Networks)
{
    /// <summary>The datastores the compute resource's usable hosts mount.</summary>
    public IReadOnlyList<CenterDatastoreDto> DatastoresFor(ComputeChoice? compute) =>
        compute is null ? [] : Datastores.Where(d => d.HostIds.Any(compute.HostIds.Contains)).ToList();
}

/// <summary>A VM's Center record, its configuration as its host reports it (null with <see cref="Unavailable"/> saying why), and its host's size.</summary>
public sealed record VmDetails(CenterVmDto Vm, VmDto? Config, HostCapacity? Capacity, string? Unavailable);
