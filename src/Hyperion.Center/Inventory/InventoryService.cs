using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>
/// Datacenters, folders and clusters. Lists show only objects the user may see (<see cref="Privileges.SystemView"/>);
/// creations check their privilege on the parent first, validate, then write everything in one transaction, so a
/// refusal leaves nothing behind.
/// </summary>
public sealed class InventoryService(CenterDbContext db, AccessControl access)
{
    /// <summary>Names of a datacenter's root host and VM folders, as vSphere names them.</summary>
    public const string HostFolderName = "host";
    public const string VmFolderName = "vm";

    public async Task<IReadOnlyList<DatacenterDto>> ListDatacentersAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var datacenters = await db.Datacenters.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        var roots = await RootFoldersAsync(datacenters.Select(d => d.Id).ToList(), cancellationToken);
        var visible = new List<DatacenterDto>();
        foreach (var datacenter in datacenters)
        {
            // One privilege evaluation per object: fine for the first slice, to be batched before the 10,000-VM benchmark.
            if (await access.HasAsync(actor.Name, datacenter.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(ToDto(datacenter, roots));
            }
        }

        return visible;
    }

    public async Task<DatacenterDto> CreateDatacenterAsync(AuthenticatedUser actor, DatacenterCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var parent = InventoryId.RootFolder;
        await access.RequireAsync(actor.Name, parent, Privileges.DatacenterCreate, cancellationToken);
        var name = ValidName(request.Name);
        if (await db.Datacenters.AnyAsync(d => d.Name == name, cancellationToken))
        {
            throw DuplicateName("datacenter", name);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var datacenter = new DatacenterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datacenter, cancellationToken), Name = name, ParentFolderId = parent };
        var hostFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, cancellationToken), Name = HostFolderName, Kind = FolderKind.Host, DatacenterId = datacenter.Id };
        var vmFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, cancellationToken), Name = VmFolderName, Kind = FolderKind.Vm, DatacenterId = datacenter.Id };
        db.Datacenters.Add(datacenter);
        db.Folders.AddRange(hostFolder, vmFolder);
        await SaveUniqueAsync("datacenter", name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DatacenterDto(datacenter.Id.Value, datacenter.Name, parent.Value, hostFolder.Id.Value, vmFolder.Id.Value);
    }

    /// <summary>
    /// Child folders of <paramref name="parent"/>: a folder id lists its sub-folders, a datacenter id its root host and
    /// VM folders, and no parent the root folder itself.
    /// </summary>
    public async Task<IReadOnlyList<FolderDto>> ListFoldersAsync(AuthenticatedUser actor, string? parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        InventoryId scope;
        IQueryable<FolderRecord> query;
        if (parent is null)
        {
            scope = InventoryId.RootFolder;
            query = db.Folders.Where(f => f.Id == InventoryId.RootFolder);
        }
        else if (InventoryId.TryParse(parent, out var id) && id.Kind is InventoryObjectKind.Folder or InventoryObjectKind.Datacenter
            && (await InventoryAncestry.GetAsync(db, id, cancellationToken)).Count > 0)
        {
            scope = id;
            query = id.Kind == InventoryObjectKind.Folder
                ? db.Folders.Where(f => f.ParentFolderId == id)
                : db.Folders.Where(f => f.DatacenterId == id && f.ParentFolderId == null);
        }
        else
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no folder or datacenter '{parent}'", "parent"));
        }

        await access.RequireAsync(actor.Name, scope, Privileges.SystemView, cancellationToken);
        var folders = await query.AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        return folders.Select(f => new FolderDto(
            f.Id.Value,
            f.Name,
            f.Kind.ToString().ToLowerInvariant(),
            (f.ParentFolderId ?? f.DatacenterId)?.Value,
            f.DatacenterId?.Value)).ToList();
    }

    public async Task<IReadOnlyList<ClusterDto>> ListClustersAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var clusters = await (
                from c in db.Clusters.AsNoTracking()
                join f in db.Folders on c.FolderId equals f.Id
                orderby c.Name
                select new { Cluster = c, f.DatacenterId })
            .ToListAsync(cancellationToken);
        var visible = new List<ClusterDto>();
        foreach (var row in clusters)
        {
            if (await access.HasAsync(actor.Name, row.Cluster.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(new ClusterDto(row.Cluster.Id.Value, row.Cluster.Name, row.Cluster.FolderId.Value, row.DatacenterId?.Value ?? string.Empty));
            }
        }

        return visible;
    }

    /// <summary>Creates a cluster in the root host folder of the datacenter named by id or name; needs <see cref="Privileges.HostCreateCluster"/> there.</summary>
    public async Task<ClusterDto> CreateClusterAsync(AuthenticatedUser actor, ClusterCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var datacenter = await FindDatacenterAsync(request.Datacenter, cancellationToken);
        var folder = await db.Folders.AsNoTracking()
            .SingleAsync(f => f.DatacenterId == datacenter.Id && f.Kind == FolderKind.Host && f.ParentFolderId == null, cancellationToken);
        await access.RequireAsync(actor.Name, folder.Id, Privileges.HostCreateCluster, cancellationToken);
        var name = ValidName(request.Name);
        if (await db.Clusters.AnyAsync(c => c.FolderId == folder.Id && c.Name == name, cancellationToken))
        {
            throw DuplicateName("cluster", name);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cluster = new ClusterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Cluster, cancellationToken), Name = name, FolderId = folder.Id };
        db.Clusters.Add(cluster);
        await SaveUniqueAsync("cluster", name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ClusterDto(cluster.Id.Value, cluster.Name, folder.Id.Value, datacenter.Id.Value);
    }

    private async Task<DatacenterRecord> FindDatacenterAsync(string? idOrName, CancellationToken cancellationToken)
    {
        DatacenterRecord? found = null;
        if (InventoryId.TryParse(idOrName, out var id))
        {
            found = await db.Datacenters.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(idOrName))
        {
            found = await db.Datacenters.AsNoTracking().SingleOrDefaultAsync(d => d.Name == idOrName, cancellationToken);
        }

        return found ?? throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no datacenter '{idOrName}'", "datacenter"));
    }

    private async Task<Dictionary<InventoryId, (InventoryId Host, InventoryId Vm)>> RootFoldersAsync(List<InventoryId> datacenters, CancellationToken cancellationToken)
    {
        var folders = await db.Folders.AsNoTracking()
            .Where(f => f.ParentFolderId == null && f.DatacenterId != null && datacenters.Contains(f.DatacenterId.Value))
            .ToListAsync(cancellationToken);
        return folders.GroupBy(f => f.DatacenterId!.Value).ToDictionary(
            g => g.Key,
            g => (g.Single(f => f.Kind == FolderKind.Host).Id, g.Single(f => f.Kind == FolderKind.Vm).Id));
    }

    private static DatacenterDto ToDto(DatacenterRecord datacenter, Dictionary<InventoryId, (InventoryId Host, InventoryId Vm)> roots)
    {
        var (host, vm) = roots[datacenter.Id];
        return new DatacenterDto(datacenter.Id.Value, datacenter.Name, datacenter.ParentFolderId.Value, host.Value, vm.Value);
    }

    private static string ValidName(string? name) =>
        InventoryNames.Validate(name) is { } bad ? throw new DomainException(bad with { Code = ErrorCodes.InventoryInvalidName }) : name!;

    private static DomainException DuplicateName(string kind, string name) =>
        new(new DomainError(ErrorCodes.InventoryDuplicateName, $"a {kind} named '{name}' already exists", "name"));

    /// <summary>Saves; a unique-index hit (a concurrent creation with the same name) becomes the same 409 as the pre-check.</summary>
    private async Task SaveUniqueAsync(string kind, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            throw DuplicateName(kind, name);
        }
    }
}
