using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Paging;
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
/// Datacenters, folders and clusters. Lists are keyset pages of the objects the user may see
/// (<see cref="Privileges.SystemView"/>, decided for the whole list by <see cref="VisibilityEvaluator"/>); creations
/// check their privilege on the parent first, validate, then write the objects and their event in one transaction, so
/// a refusal leaves nothing behind.
/// </summary>
public sealed class InventoryService(CenterDbContext db, AccessControl access, TimeProvider time)
{
    /// <summary>Names of a datacenter's root host and VM folders, as vSphere names them.</summary>
    public const string HostFolderName = "host";
    public const string VmFolderName = "vm";

    private static readonly KeysetOrder<DatacenterRecord> DatacenterOrder = KeysetOrder<DatacenterRecord>.By(d => d.Name);
    private static readonly KeysetOrder<FolderRecord> FolderOrder = KeysetOrder<FolderRecord>.By(f => f.Name).ThenBy(f => f.Id);
    private static readonly KeysetOrder<ClusterRecord> ClusterOrder = KeysetOrder<ClusterRecord>.By(c => c.Name).ThenBy(c => c.Id);

    /// <param name="name">Substring of the name (ASCII case-insensitive), or null.</param>
    public async Task<PageDto<DatacenterDto>> ListDatacentersAsync(AuthenticatedUser actor, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<DatacenterRecord> datacenters = db.Datacenters.AsNoTracking();
        datacenters = NameMatch.Containing(datacenters, d => d.Name, name);

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        datacenters = visibility.Filter(datacenters, InventoryObjectKind.Datacenter, d => d.Id, d => d.ParentFolderId, tree => tree.Folders(FolderKind.Datacenter));
        return await datacenters.ToPageAsync(
            DatacenterOrder,
            page,
            async (rows, ct) =>
            {
                var roots = await RootFoldersAsync(rows.Select(d => d.Id).ToList(), ct);
                return rows.Select(d => ToDto(d, roots)).ToList();
            },
            cancellationToken);
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
        CenterEventLog.Add(db, time, CenterEventTypes.DatacenterCreated, $"datacenter {name} created", datacenter.Id, name, actor.Name);
        await SaveUniqueAsync("datacenter", name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DatacenterDto(datacenter.Id.Value, datacenter.Name, parent.Value, hostFolder.Id.Value, vmFolder.Id.Value);
    }

    /// <summary>
    /// Child folders of <paramref name="parent"/>: a folder id lists its sub-folders, a datacenter id its root host and
    /// VM folders, and no parent the root folder itself. Needs <see cref="Privileges.SystemView"/> on the parent.
    /// </summary>
    public async Task<PageDto<FolderDto>> ListFoldersAsync(AuthenticatedUser actor, string? parent, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
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
        query = NameMatch.Containing(query, f => f.Name, name);

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        query = visibility.Filter(
            query.AsNoTracking(),
            InventoryObjectKind.Folder,
            f => f.Id,
            f => f.ParentFolderId ?? f.DatacenterId,
            tree => tree.Objects.Where(o => o.Kind is InventoryObjectKind.Folder or InventoryObjectKind.Datacenter));
        return await query.ToPageAsync(FolderOrder, page, ToDto, cancellationToken);
    }

    /// <summary>Creates a folder in a folder (of the same kind); needs <see cref="Privileges.FolderCreate"/> on the parent.</summary>
    public async Task<FolderDto> CreateFolderAsync(AuthenticatedUser actor, FolderCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        FolderRecord? parent = null;
        if (InventoryId.TryParse(request.Parent, out var parentId) && parentId.Kind == InventoryObjectKind.Folder)
        {
            parent = await db.Folders.AsNoTracking().SingleOrDefaultAsync(f => f.Id == parentId, cancellationToken);
        }

        if (parent is null)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no folder '{request.Parent}'", "parent"));
        }

        await access.RequireAsync(actor.Name, parent.Id, Privileges.FolderCreate, cancellationToken);
        var name = ValidName(request.Name);
        if (await db.Folders.AnyAsync(f => f.ParentFolderId == parent.Id && f.Name == name, cancellationToken))
        {
            throw DuplicateName("folder", name);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var folder = new FolderRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, cancellationToken),
            Name = name,
            Kind = parent.Kind,
            ParentFolderId = parent.Id,
            DatacenterId = parent.DatacenterId,
        };
        db.Folders.Add(folder);
        CenterEventLog.Add(db, time, CenterEventTypes.FolderCreated, $"folder {name} created in {parent.Name}", folder.Id, name, actor.Name);
        await SaveUniqueAsync("folder", name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(folder);
    }

    /// <param name="datacenter">Only the clusters of this datacenter (id or name); none when it does not exist.</param>
    /// <param name="name">Substring of the name (ASCII case-insensitive), or null.</param>
    public async Task<PageDto<ClusterDto>> ListClustersAsync(AuthenticatedUser actor, string? datacenter, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<ClusterRecord> clusters = db.Clusters.AsNoTracking();
        if (datacenter is not null)
        {
            var datacenterId = InventoryId.TryParse(datacenter, out var id)
                ? id
                : await db.Datacenters.AsNoTracking().Where(d => d.Name == datacenter).Select(d => (InventoryId?)d.Id).SingleOrDefaultAsync(cancellationToken);
            var tree = await access.TreeAsync(cancellationToken);
            var folders = datacenterId is { } dc && tree.Contains(dc)
                ? tree.Subtree(dc).Where(f => tree.FolderKindOf(f) == FolderKind.Host).ToList()
                : [];
            clusters = clusters.Where(c => folders.Contains(c.FolderId));
        }

        clusters = NameMatch.Containing(clusters, c => c.Name, name);

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        clusters = visibility.Filter(clusters, InventoryObjectKind.Cluster, c => c.Id, c => c.FolderId, tree => tree.Folders(FolderKind.Host));
        return await clusters.ToPageAsync(
            ClusterOrder,
            page,
            async (rows, ct) =>
            {
                var folderIds = rows.Select(c => c.FolderId).Distinct().ToList();
                var datacenters = await db.Folders.AsNoTracking().Where(f => folderIds.Contains(f.Id))
                    .ToDictionaryAsync(f => f.Id, f => f.DatacenterId, ct);
                return rows.Select(c => new ClusterDto(c.Id.Value, c.Name, c.FolderId.Value, datacenters.GetValueOrDefault(c.FolderId)?.Value ?? string.Empty) { CpuBaseline = c.CpuBaseline, Ha = Ha.ClusterHaMapper.ToDto(c) }).ToList();
            },
            cancellationToken);
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
        CenterEventLog.Add(db, time, CenterEventTypes.ClusterCreated, $"cluster {name} created in datacenter {datacenter.Name}", cluster.Id, name, actor.Name);
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

    private static FolderDto ToDto(FolderRecord f) =>
        new(f.Id.Value, f.Name, f.Kind.ToString().ToLowerInvariant(), (f.ParentFolderId ?? f.DatacenterId)?.Value, f.DatacenterId?.Value);

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
