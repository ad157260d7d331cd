using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Hosts;

/// <summary>
/// Adds, lists and removes managed hosts, and lists the Center's VM records. Adding follows vCenter: the admin first
/// confirms the host certificate's fingerprint, then the Center calls the host with its root credentials, records it
/// and imports its VMs, all in one transaction.
/// </summary>
public sealed class HostService(CenterDbContext db, AccessControl access, HostConnections connections, TimeProvider time)
{
    public const string DefaultUser = "root";

    public async Task<HostDto> AddAsync(AuthenticatedUser actor, HostAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var (parent, cluster) = await PlacementAsync(request, cancellationToken);
        await access.RequireAsync(actor.Name, parent, cluster is null ? Privileges.HostAddStandalone : Privileges.HostAddToCluster, cancellationToken);
        var endpoint = HostEndpoint.Parse(request.Address);
        if (string.IsNullOrEmpty(request.Password))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "password is required", "password"));
        }

        if (await db.Hosts.AnyAsync(h => h.Address == endpoint.Address && h.Port == endpoint.Port, cancellationToken))
        {
            throw Duplicate(endpoint);
        }

        string fingerprint;
        if (request.Fingerprint is null)
        {
            var presented = await HostAgentClient.ProbeFingerprintAsync(endpoint, cancellationToken);
            throw new DomainException(new DomainError(
                ErrorCodes.HostFingerprintUnconfirmed,
                $"confirm the certificate of {endpoint}: its SHA-256 fingerprint is {HostFingerprint.Format(presented)}; add the host again with this fingerprint if it is the host you expect",
                "fingerprint"));
        }
        else
        {
            fingerprint = HostFingerprint.Normalize(request.Fingerprint)
                ?? throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"fingerprint '{request.Fingerprint}' is not a SHA-256 fingerprint (64 hex digits, colons optional)", "fingerprint"));
        }

        var settings = new HostConnectionSettings(endpoint, fingerprint, string.IsNullOrEmpty(request.User) ? DefaultUser : request.User, request.Password);
        HostCallResult reported;
        using (var client = new HostAgentClient(settings))
        {
            reported = await client.DescribeAsync(cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var host = new HostRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Host, cancellationToken),
            Address = endpoint.Address,
            Port = endpoint.Port,
            CertificateSha256 = fingerprint,
            UserName = settings.UserName,
            Password = settings.Password,
            ConnectionState = HostConnectionState.Connected,
            LastHeartbeatAt = time.GetUtcNow(),
            ClusterId = cluster?.Id,
            FolderId = cluster is null ? parent : null,
        };
        db.Hosts.Add(host);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            throw Duplicate(endpoint);
        }

        var (added, _, _) = await HostInventorySync.ApplyAsync(db, host, reported.Vms, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(host, cluster?.Name, added);
    }

    public async Task<IReadOnlyList<HostDto>> ListAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(cancellationToken);
        var counts = await db.Vms.AsNoTracking().Where(v => v.HostId != null).GroupBy(v => v.HostId)
            .Select(g => new { Host = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Host!.Value, g => g.Count, cancellationToken);
        var clusters = await db.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var visible = new List<HostDto>();
        foreach (var host in hosts)
        {
            if (await access.HasAsync(actor.Name, host.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(ToDto(host, host.ClusterId is { } c ? clusters.GetValueOrDefault(c) : null, counts.GetValueOrDefault(host.Id)));
            }
        }

        return visible;
    }

    public async Task<HostDto> GetAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await FindAsync(id, tracking: false, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.SystemView, cancellationToken);
        var cluster = host.ClusterId is { } c ? await db.Clusters.AsNoTracking().Where(x => x.Id == c).Select(x => x.Name).SingleAsync(cancellationToken) : null;
        var count = await db.Vms.CountAsync(v => v.HostId == host.Id, cancellationToken);
        return ToDto(host, cluster, count);
    }

    /// <summary>Removes the host and its VM records from the inventory; nothing changes on the host itself.</summary>
    public async Task RemoveAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await FindAsync(id, tracking: true, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.HostRemove, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Vms.Where(v => v.HostId == host.Id).ExecuteDeleteAsync(cancellationToken);
        db.Hosts.Remove(host);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        connections.Remove(host.Id);
    }

    /// <summary>The Center's VM records the user may see, by name.</summary>
    public async Task<IReadOnlyList<CenterVmDto>> ListVmsAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var vms = await db.Vms.AsNoTracking().OrderBy(v => v.Name).ToListAsync(cancellationToken);
        var visible = new List<CenterVmDto>();
        foreach (var vm in vms)
        {
            // One privilege evaluation per VM: to be batched before the 10,000-VM benchmark.
            if (await access.HasAsync(actor.Name, vm.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(new CenterVmDto(
                    vm.Id.Value, vm.Name, vm.HostId?.Value, vm.HostLocalId?.Value, vm.FolderId.Value,
                    ToCamel(vm.PowerState.ToString()), vm.Cpus, vm.MemoryMiB));
            }
        }

        return visible;
    }

    public static HostDto ToDto(HostRecord host, string? clusterName, int vmCount)
    {
        ArgumentNullException.ThrowIfNull(host);
        var endpoint = new HostEndpoint(host.Address, host.Port);
        return new HostDto(
            host.Id.Value,
            host.Address,
            endpoint.ToString(),
            HostFingerprint.Format(host.CertificateSha256),
            ToCamel(host.ConnectionState.ToString()),
            clusterName,
            host.FolderId?.Value,
            vmCount,
            host.LastHeartbeatAt);
    }

    private static string ToCamel(string pascal) => string.IsNullOrEmpty(pascal) ? pascal : char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static DomainException Duplicate(HostEndpoint endpoint) =>
        new(new DomainError(ErrorCodes.HostDuplicateAddress, $"a host at {endpoint} is already in the inventory", "address"));

    private async Task<HostRecord> FindAsync(string id, bool tracking, CancellationToken cancellationToken)
    {
        HostRecord? host = null;
        if (InventoryId.TryParse(id, out var hostId) && hostId.Kind == InventoryObjectKind.Host)
        {
            var query = tracking ? db.Hosts : db.Hosts.AsNoTracking();
            host = await query.SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken);
        }

        return host ?? throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{id}'", "id"));
    }

    /// <summary>The folder (standalone) or cluster the host goes in, with the object whose privilege decides.</summary>
    private async Task<(InventoryId Parent, ClusterRecord? Cluster)> PlacementAsync(HostAddRequest request, CancellationToken cancellationToken)
    {
        DatacenterRecord? datacenter = null;
        if (InventoryId.TryParse(request.Datacenter, out var dcId) && dcId.Kind == InventoryObjectKind.Datacenter)
        {
            datacenter = await db.Datacenters.AsNoTracking().SingleOrDefaultAsync(d => d.Id == dcId, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(request.Datacenter))
        {
            datacenter = await db.Datacenters.AsNoTracking().SingleOrDefaultAsync(d => d.Name == request.Datacenter, cancellationToken);
        }

        if (datacenter is null)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no datacenter '{request.Datacenter}'", "datacenter"));
        }

        var hostFolder = await db.Folders.AsNoTracking()
            .Where(f => f.DatacenterId == datacenter.Id && f.Kind == FolderKind.Host && f.ParentFolderId == null)
            .Select(f => f.Id).SingleAsync(cancellationToken);
        if (string.IsNullOrEmpty(request.Cluster))
        {
            return (hostFolder, null);
        }

        var clusters = InventoryId.TryParse(request.Cluster, out var clusterId) && clusterId.Kind == InventoryObjectKind.Cluster
            ? await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).ToListAsync(cancellationToken)
            : await db.Clusters.AsNoTracking().Where(c => c.Name == request.Cluster).ToListAsync(cancellationToken);
        foreach (var cluster in clusters)
        {
            // Cluster names are unique per folder only: take the one in this datacenter.
            var path = await Inventory.InventoryAncestry.GetAsync(db, cluster.Id, cancellationToken);
            if (path.Contains(datacenter.Id))
            {
                return (cluster.Id, cluster);
            }
        }

        throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no cluster '{request.Cluster}' in datacenter '{datacenter.Name}'", "cluster"));
    }
}
