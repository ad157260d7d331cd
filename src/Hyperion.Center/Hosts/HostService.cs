using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Tasks;
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
/// Adds, reads and removes managed hosts (lists: <see cref="Inventory.HostQueries"/>). Adding follows vCenter: the admin first
/// confirms the host certificate's fingerprint, then the Center calls the host with its root credentials, records it
/// and imports its VMs, all in one transaction.
/// </summary>
public sealed class HostService(CenterDbContext db, AccessControl access, HostConnections connections, HostCredentials credentials, TaskManager tasks, TimeProvider time, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes)
{
    public const string DefaultUser = "root";

    /// <summary>How often entering maintenance mode re-checks the host's powered-on VMs.</summary>
    public static readonly TimeSpan MaintenancePollInterval = TimeSpan.FromSeconds(1);

    public async Task<TaskDto> AddAsync(AuthenticatedUser actor, HostAddRequest request, CancellationToken cancellationToken)
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
        // Checked now, so a wrong address, fingerprint or password is a 4xx answer and no task is queued.
        using (var probe = new HostAgentClient(settings))
        {
            await probe.GetHostInfoAsync(cancellationToken);
        }

        var clusterId = cluster?.Id;
        var clusterName = cluster?.Name;
        return await tasks.QueueAsync(
            new TaskSpec(cluster is null ? "Folder.addStandaloneHost" : "ClusterComputeResource.addHost", parent, endpoint.Address, actor.Name, Cancellable: true),
            async (context, ct) =>
            {
                // Enrolment: root's password is used this once, to make the host trust the Center's CA; from here on
                // the Center authenticates with its client certificate and keeps no password.
                using (var client = new HostAgentClient(settings))
                {
                    await client.InstallCenterTrustAsync(credentials.Authority.AuthorityPem, ct);
                }

                HostCallResult reported;
                using (var client = new HostAgentClient(credentials.Certificate(endpoint, fingerprint)))
                {
                    reported = await client.DescribeAsync(ct);
                }

                await context.ReportProgressAsync(50, ct);
                await using var work = context.CreateDbContext();
                await using var transaction = await work.Database.BeginTransactionAsync(ct);
                if (await work.Hosts.AnyAsync(h => h.Address == endpoint.Address && h.Port == endpoint.Port, ct))
                {
                    throw Duplicate(endpoint);
                }

                var host = new HostRecord
                {
                    Id = await work.AllocateIdAsync(InventoryObjectKind.Host, ct),
                    Address = endpoint.Address,
                    Port = endpoint.Port,
                    CertificateSha256 = fingerprint,
                    UserName = null,
                    Password = null,
                    ConnectionState = HostConnectionState.Connected,
                    LastHeartbeatAt = time.GetUtcNow(),
                    ClusterId = clusterId,
                    FolderId = clusterId is null ? parent : null,
                };
                work.Hosts.Add(host);
                try
                {
                    await work.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
                {
                    throw Duplicate(endpoint);
                }

                var (added, _, _) = await HostInventorySync.ApplyAsync(work, host, reported, time, ct);
                CenterEventLog.Add(work, time, CenterEventTypes.HostAdded, $"host {endpoint} added{(clusterName is null ? string.Empty : $" to cluster {clusterName}")} with {added} VM(s)", host.Id, host.Address, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return ToDto(host, clusterName, added);
            },
            cancellationToken);
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
    public Task<TaskDto> RemoveAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken) =>
        QueueOnHostAsync(actor, id, Privileges.HostRemove, "HostSystem.destroy", cancellable: false, async (host, context, ct) =>
            {
                var hostId = host.Id;
                await using var work = context.CreateDbContext();
                await LeaveHaAsync(work, host, ct);
                await using var transaction = await work.Database.BeginTransactionAsync(ct);
                var vms = await work.Vms.Where(v => v.HostId == hostId).Select(v => v.Id).ToListAsync(ct);
                await work.TagAssignments.Where(a => vms.Contains(a.ObjectId) || a.ObjectId == hostId).ExecuteDeleteAsync(ct);
                await work.Permissions.Where(p => vms.Contains(p.ObjectId) || p.ObjectId == hostId).ExecuteDeleteAsync(ct);
                await work.Vms.Where(v => v.HostId == hostId).ExecuteDeleteAsync(ct);
                await work.DatastoreMounts.Where(m => m.HostId == hostId).ExecuteDeleteAsync(ct);
                await work.Datastores.Where(d => !work.DatastoreMounts.Any(m => m.DatastoreId == d.Id)).ExecuteDeleteAsync(ct);
                var removed = await work.Hosts.Where(h => h.Id == hostId).ExecuteDeleteAsync(ct);
                if (removed == 0)
                {
                    throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{id}'", "id"));
                }

                CenterEventLog.Add(work, time, CenterEventTypes.HostRemoved, $"host {host.Address}:{host.Port} removed from the inventory with {vms.Count} VM record(s)", hostId, host.Address, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                connections.Remove(hostId);
                return null;
            },
            cancellationToken);

    /// <summary>A host leaving a cluster with HA on stops its HA agent (best effort: a host that cannot be told keeps it until told).</summary>
    private async Task LeaveHaAsync(CenterDbContext work, HostRecord host, CancellationToken cancellationToken)
    {
        var haEnabled = host.ClusterId is { } clusterId
            && await work.Clusters.AsNoTracking().AnyAsync(c => c.Id == clusterId && c.HaEnabled, cancellationToken);
        if (!haEnabled || host.ConnectionState != HostConnectionState.Connected)
        {
            return;
        }

        try
        {
            await connections.Get(host.Id, credentials.For(host)).DisableHaAsync(cancellationToken);
        }
        catch (DomainException)
        {
            // The host is removed from the inventory anyway (vCenter does the same with an unreachable host).
        }
    }

    /// <summary>Disconnects the host (vCenter's "Disconnect"): the Center stops talking to it until reconnected; its VMs keep running.</summary>
    public Task<TaskDto> DisconnectAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken) =>
        QueueOnHostAsync(actor, id, Privileges.HostConnection, "HostSystem.disconnect", cancellable: false, async (host, context, ct) =>
            {
                await using var work = context.CreateDbContext();
                var record = await TrackedAsync(work, host.Id, ct);
                record.ConnectionState = HostConnectionState.Disconnected;
                CenterEventLog.Add(work, time, CenterEventTypes.HostDisconnected, $"host {record.Address} disconnected by {actor.Name}", host.Id, record.Address, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                connections.Remove(host.Id);
                return await DtoAsync(work, record, ct);
            },
            cancellationToken);

    /// <summary>Reconnects the host: calls it now, and on an answer marks it connected and converges its VMs and datastores.</summary>
    public async Task<TaskDto> ReconnectAsync(AuthenticatedUser actor, string id, HostReconnectRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await FindVisibleAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.HostConnection, cancellationToken);
        var hostId = host.Id;
        var endpoint = new HostEndpoint(host.Address, host.Port);
        var enrolWith = !string.IsNullOrEmpty(request?.Password)
            ? new HostConnectionSettings(endpoint, host.CertificateSha256, string.IsNullOrEmpty(request.User) ? DefaultUser : request.User, request.Password)
            : host.Password is not null ? credentials.For(host) : null;
        var settings = credentials.Certificate(endpoint, host.CertificateSha256);
        return await tasks.QueueAsync(
            new TaskSpec("HostSystem.reconnect", hostId, host.Address, actor.Name, Cancellable: true),
            async (context, ct) =>
            {
                connections.Remove(hostId);
                if (enrolWith is not null)
                {
                    using var enrolment = new HostAgentClient(enrolWith);
                    await enrolment.InstallCenterTrustAsync(credentials.Authority.AuthorityPem, ct);
                }

                var reported = await connections.Get(hostId, settings).DescribeAsync(ct);
                await context.ReportProgressAsync(50, ct);
                await using var work = context.CreateDbContext();
                await using var transaction = await work.Database.BeginTransactionAsync(ct);
                var record = await TrackedAsync(work, hostId, ct);
                record.ConnectionState = HostConnectionState.Connected;
                record.LastHeartbeatAt = time.GetUtcNow();
                record.UserName = null;
                record.Password = null;
                await HostInventorySync.ApplyAsync(work, record, reported, time, ct);
                CenterEventLog.Add(work, time, CenterEventTypes.HostConnected, $"host {record.Address} reconnected by {actor.Name}", hostId, record.Address, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return await DtoAsync(work, record, ct);
            },
            cancellationToken);
    }

    /// <summary>
    /// Enters maintenance mode as vSphere does: the task runs until no VM on the host is powered on (they are
    /// powered off or migrated away meanwhile), then sets the flag; while in maintenance mode the host takes no new
    /// or powering-on VMs. In a cluster with HA on, the host's running VMs are live-migrated away (one vMotion task each,
    /// to the connected host out of maintenance with the most memory left) so the host can be emptied without a power-off.
    /// Cancellable while it waits.
    /// </summary>
    public Task<TaskDto> EnterMaintenanceAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken) =>
        QueueOnHostAsync(actor, id, Privileges.HostMaintenance, "HostSystem.enterMaintenanceMode", cancellable: true, async (host, context, ct) =>
            {
                var hostId = host.Id;
                var evacuated = new HashSet<InventoryId>();
                while (true)
                {
                    await using (var work = context.CreateDbContext())
                    {
                        await EvacuateForMaintenanceAsync(work, actor, hostId, evacuated, ct);
                        var running = await work.Vms.CountAsync(v => v.HostId == hostId && v.PowerState != Domain.Vms.VmPowerState.PoweredOff, ct);
                        if (running == 0)
                        {
                            var record = await TrackedAsync(work, hostId, ct);
                            if (!record.InMaintenanceMode)
                            {
                                record.InMaintenanceMode = true;
                                CenterEventLog.Add(work, time, CenterEventTypes.HostMaintenanceEntered, $"host {record.Address} entered maintenance mode", hostId, record.Address, actor.Name, context.Id);
                                await work.SaveChangesAsync(ct);
                            }

                            return await DtoAsync(work, record, ct);
                        }

                        await context.ReportProgressAsync(10, ct);
                    }

                    await Task.Delay(MaintenancePollInterval, time, ct);
                }
            },
            cancellationToken);

    /// <summary>Starts a vMotion for each running VM of the host not yet sent away, when its cluster has HA on.</summary>
    private async Task EvacuateForMaintenanceAsync(CenterDbContext work, AuthenticatedUser actor, InventoryId hostId, HashSet<InventoryId> evacuated, CancellationToken cancellationToken)
    {
        var host = await work.Hosts.AsNoTracking().SingleAsync(h => h.Id == hostId, cancellationToken);
        if (host.ClusterId is not { } clusterId || !await work.Clusters.AnyAsync(c => c.Id == clusterId && c.HaEnabled, cancellationToken))
        {
            return;
        }

        var running = await work.Vms.AsNoTracking()
            .Where(v => v.HostId == hostId && v.PowerState == Domain.Vms.VmPowerState.PoweredOn && !evacuated.Contains(v.Id))
            .OrderByDescending(v => v.MemoryMiB).ToListAsync(cancellationToken);
        if (running.Count == 0)
        {
            return;
        }

        var targets = await work.Hosts.AsNoTracking()
            .Where(h => h.ClusterId == clusterId && h.Id != hostId && h.ConnectionState == HostConnectionState.Connected && !h.InMaintenanceMode)
            .ToListAsync(cancellationToken);
        var targetIds = targets.Select(t => (InventoryId?)t.Id).ToList();
        var used = (await work.Vms.AsNoTracking().Where(v => targetIds.Contains(v.HostId) && v.PowerState != Domain.Vms.VmPowerState.PoweredOff).Select(v => new { v.HostId, v.MemoryMiB }).ToListAsync(cancellationToken))
            .GroupBy(v => v.HostId!.Value).ToDictionary(g => g.Key, g => g.Sum(v => v.MemoryMiB));
        var free = targets.ToDictionary(t => t.Id, t => (t.MemoryMiB ?? 0) - used.GetValueOrDefault(t.Id));
        using var scope = scopes.CreateScope();
        var migrations = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Migrations.MigrationService>(scope.ServiceProvider);
        foreach (var vm in running)
        {
            var target = free.Where(f => f.Value >= vm.MemoryMiB).OrderByDescending(f => f.Value).Select(f => (InventoryId?)f.Key).FirstOrDefault();
            evacuated.Add(vm.Id);
            if (target is null)
            {
                continue;
            }

            free[target.Value] -= vm.MemoryMiB;
            try
            {
                await migrations.MigrateAsync(actor, vm.Id.Value, new VmMigrateRequest(target.Value.Value), cancellationToken);
            }
            catch (DomainException)
            {
                // Left for the administrator (power it off or move it by hand); the task keeps waiting, as vSphere's does.
            }
        }
    }

    public Task<TaskDto> ExitMaintenanceAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken) =>
        QueueOnHostAsync(actor, id, Privileges.HostMaintenance, "HostSystem.exitMaintenanceMode", cancellable: false, async (host, context, ct) =>
            {
                var hostId = host.Id;
                await using var work = context.CreateDbContext();
                var record = await TrackedAsync(work, hostId, ct);
                if (record.InMaintenanceMode)
                {
                    record.InMaintenanceMode = false;
                    CenterEventLog.Add(work, time, CenterEventTypes.HostMaintenanceExited, $"host {record.Address} exited maintenance mode", hostId, record.Address, actor.Name, context.Id);
                    await work.SaveChangesAsync(ct);
                }

                return await DtoAsync(work, record, ct);
            },
            cancellationToken);

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
            host.LastHeartbeatAt,
            host.InMaintenanceMode);
    }

    private static string ToCamel(string pascal) => string.IsNullOrEmpty(pascal) ? pascal : char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static DomainException Duplicate(HostEndpoint endpoint) =>
        new(new DomainError(ErrorCodes.HostDuplicateAddress, $"a host at {endpoint} is already in the inventory", "address"));

    /// <summary>Checks that the user sees the host and holds <paramref name="privilege"/> on it, then queues the work as a task on it.</summary>
    private async Task<TaskDto> QueueOnHostAsync(
        AuthenticatedUser actor,
        string id,
        string privilege,
        string descriptionId,
        bool cancellable,
        Func<HostRecord, TaskContext, CancellationToken, Task<object?>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await FindVisibleAsync(actor, id, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, privilege, cancellationToken);
        return await tasks.QueueAsync(
            new TaskSpec(descriptionId, host.Id, host.Address, actor.Name, cancellable),
            (context, ct) => work(host, context, ct),
            cancellationToken);
    }

    /// <summary>The host's record for update inside a task (removed meanwhile: not found).</summary>
    private static async Task<HostRecord> TrackedAsync(CenterDbContext work, InventoryId hostId, CancellationToken cancellationToken) =>
        await work.Hosts.SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken)
            ?? throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{hostId}'", "id"));

    private static async Task<HostDto> DtoAsync(CenterDbContext work, HostRecord host, CancellationToken cancellationToken)
    {
        var cluster = host.ClusterId is { } c ? await work.Clusters.AsNoTracking().Where(x => x.Id == c).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken) : null;
        var count = await work.Vms.CountAsync(v => v.HostId == host.Id, cancellationToken);
        return ToDto(host, cluster, count);
    }

    /// <summary>The host, if the user may see it; otherwise not found, so ids cannot be probed.</summary>
    private async Task<HostRecord> FindVisibleAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        var host = await FindAsync(id, tracking: false, cancellationToken);
        if (!await access.HasAsync(actor.Name, host.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{id}'", "id"));
        }

        return host;
    }

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
