using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
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
/// The Center's host list: the hosts the user may see (<see cref="Privileges.SystemView"/>, decided in SQL), filtered,
/// by address then port (unique, served by the <c>IX_Hosts_Address_Port</c> index), one keyset page at a time; VM
/// counts and cluster names are read for the page's hosts only.
/// </summary>
public sealed class HostQueries(CenterDbContext db, AccessControl access)
{
    private static readonly KeysetOrder<HostRecord> Order = KeysetOrder<HostRecord>.By(h => h.Address).ThenBy(h => h.Port);

    public async Task<PageDto<HostDto>> ListAsync(AuthenticatedUser actor, HostListFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<HostRecord> hosts = db.Hosts.AsNoTracking();
        if (filter.ConnectionState is not null)
        {
            var state = Enum.TryParse<HostConnectionState>(filter.ConnectionState, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !filter.ConnectionState.Any(char.IsDigit)
                ? parsed
                : throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"connectionState '{filter.ConnectionState}' is not one of connected, notResponding, disconnected", "connectionState"));
            hosts = hosts.Where(h => h.ConnectionState == state);
        }

        if (filter.Cluster is not null)
        {
            var cluster = filter.Cluster;
            var clusters = InventoryId.TryParse(cluster, out var clusterId)
                ? [clusterId]
                : await db.Clusters.AsNoTracking().Where(c => c.Name == cluster).Select(c => c.Id).ToListAsync(cancellationToken);
            hosts = hosts.Where(h => h.ClusterId != null && clusters.Contains(h.ClusterId.Value));
        }

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        hosts = visibility.Filter(
            hosts,
            InventoryObjectKind.Host,
            h => h.Id,
            h => h.ClusterId ?? h.FolderId,
            tree => tree.Objects.Where(o => o.Kind == InventoryObjectKind.Cluster).Concat(tree.Folders(FolderKind.Host)));
        return await hosts.ToPageAsync(
            Order,
            page,
            async (rows, ct) =>
            {
                var ids = rows.Select(h => (InventoryId?)h.Id).ToList();
                var counts = await db.Vms.AsNoTracking().Where(v => ids.Contains(v.HostId)).GroupBy(v => v.HostId)
                    .Select(g => new { Host = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Host!.Value, g => g.Count, ct);
                var clusterIds = rows.Where(h => h.ClusterId != null).Select(h => h.ClusterId!.Value).Distinct().ToList();
                var names = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
                return rows.Select(h => HostService.ToDto(h, h.ClusterId is { } c ? names.GetValueOrDefault(c) : null, counts.GetValueOrDefault(h.Id))).ToList();
            },
            cancellationToken);
    }
}
