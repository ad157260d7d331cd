using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Migrations;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Hyperion.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Migrations;

/// <summary>
/// Settles live migrations no task drives any more — the Center restarted mid-migration, or its task gave up while
/// the source agent was unreachable and that agent then came back with the QEMU still migrating or paused at the end.
/// Every round it asks each connected host for its migrations (<c>GET /api/migrations</c>) and, for a VM no task of
/// this process holds (<see cref="MigrationRegistry"/>):
/// <list type="bullet">
/// <item>still streaming: the destination's incoming QEMU is thrown away and the source cancels; the VM runs on;</item>
/// <item>paused at <c>completed</c> on the source: if a destination already runs it (it was told to before the Center
/// died), the record moves there and the source lets go; otherwise the destination is cleaned and the source takes
/// the VM back — only then, so it never runs twice;</item>
/// <item>in post-copy: the destination must run it (it holds the guest's state); it is told to;</item>
/// <item>an incoming migration no source is sending: thrown away.</item>
/// </list>
/// </summary>
public sealed partial class MigrationReconciler(
    IDbContextFactory<CenterDbContext> factory,
    HostConnections connections,
    HostCredentials credentials,
    HostInventoryVersions versions,
    MigrationRegistry registry,
    HostMonitorOptions options,
    TimeProvider time,
    ILogger<MigrationReconciler> logger) : PeriodicBackgroundService(options.Interval, time, logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    /// <summary>One round; serialized with other rounds.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<HostRecord> hosts;
            await using (var db = factory.CreateDbContext())
            {
                hosts = await db.Hosts.AsNoTracking().Where(h => h.ConnectionState != HostConnectionState.Disconnected).ToListAsync(cancellationToken);
            }

            var states = new List<HostState>();
            foreach (var host in hosts)
            {
                var client = connections.Get(host.Id, credentials.For(host));
                try
                {
                    states.Add(new HostState(host, client, await client.ListMigrationsAsync(cancellationToken)));
                }
                catch (DomainException)
                {
                    // Unreachable now (or an agent without the endpoint): its migrations wait for a later round.
                }
            }

            // Deciding that no host runs a VM needs every host's word: one that did not answer may be running it.
            var everyHostAnswered = states.Count == hosts.Count;
            foreach (var (host, client, migrations) in states)
            {
                foreach (var outgoing in migrations.Outgoing.Where(o => !registry.IsActive(o.Uuid)))
                {
                    await SettleOutgoingAsync(host, client, outgoing, states, everyHostAnswered, cancellationToken);
                }
            }

            foreach (var (host, client, migrations) in states)
            {
                foreach (var incoming in migrations.Incoming.Where(i => !registry.IsActive(i.Uuid)))
                {
                    var sent = states.Any(s => s.Migrations.Outgoing.Any(o => string.Equals(o.Uuid, incoming.Uuid, StringComparison.OrdinalIgnoreCase)));
                    if (!sent)
                    {
                        await TryAsync(() => client.AbortIncomingMigrationAsync(incoming.MigrationId, cancellationToken));
                        await RecordAsync(incoming.Uuid, CenterEventTypes.VmMigrationFailed, $"host {host.Address} was preparing to receive VM {incoming.Uuid}, but no host is sending it (its migration task was interrupted): the preparation was thrown away", cancellationToken);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SettleOutgoingAsync(HostRecord source, HostAgentClient sourceClient, OutgoingMigrationSummaryDto outgoing, List<HostState> states, bool everyHostAnswered, CancellationToken ct)
    {
        var incoming = states
            .SelectMany(s => s.Migrations.Incoming.Where(i => string.Equals(i.Uuid, outgoing.Uuid, StringComparison.OrdinalIgnoreCase)).Select(i => (State: s, Incoming: i)))
            .ToList();
        LogSettling(Logger, outgoing.Uuid, source.Id.Value, outgoing.Status);
        switch (outgoing.Status)
        {
            case "completed":
                // A destination still holding the arrival unfinished has not run it; otherwise any host might have.
                var (known, taken) = await FindRunningElsewhereAsync(source, outgoing.Uuid, states, ct);
                if (!known || (taken is null && incoming.Count == 0 && !everyHostAnswered))
                {
                    return; // A host cannot be asked now: deciding without it could run the VM twice.
                }

                if (taken is { } elsewhere)
                {
                    // The destination was told to run it before the task died: the VM lives there; the source lets go.
                    await MoveRecordAsync(source, elsewhere.State.Host, elsewhere.Vm, outgoing.Uuid, ct);
                    await TryAsync(() => sourceClient.SwitchOverMigrationAsync(outgoing.VmId, ct));
                    return;
                }

                // Nobody runs it: clean every destination first, then run it on the source again — only if every
                // destination threw its arrival away (one that refuses may have just started it: the next round sees).
                var cleaned = true;
                foreach (var (state, arriving) in incoming)
                {
                    cleaned &= await TryAsync(() => state.Client.AbortIncomingMigrationAsync(arriving.MigrationId, ct));
                }

                if (cleaned && await TryAsync(() => sourceClient.ResumeAfterMigrationAsync(outgoing.VmId, ct)))
                {
                    await RecordAsync(outgoing.Uuid, CenterEventTypes.VmMigrationFailed, $"the migration of this VM from {source.Address} lost its task (Center restart or unreachable host) after the stream completed: the destination was cleaned and the VM runs on {source.Address} again", ct);
                }

                return;

            case "postcopy-active" or "postcopy-paused" or "postcopy-recover":
                // Past the point of no return: the destination holds the running guest's state; it must run it.
                foreach (var (state, arriving) in incoming)
                {
                    await TryAsync(() => state.Client.FinishIncomingMigrationAsync(arriving.MigrationId, ct));
                }

                return;

            default:
                // Still copying: stop it; the guest never stopped running on the source.
                foreach (var (state, arriving) in incoming)
                {
                    await TryAsync(() => state.Client.AbortIncomingMigrationAsync(arriving.MigrationId, ct));
                }

                if (await TryAsync(() => sourceClient.CancelMigrationAsync(outgoing.VmId, ct)))
                {
                    await RecordAsync(outgoing.Uuid, CenterEventTypes.VmMigrationFailed, $"the migration of this VM from {source.Address} lost its task (Center restart or unreachable host) while {outgoing.Status}: cancelled, the destination cleaned; the VM keeps running on {source.Address}", ct);
                }

                return;
        }
    }

    /// <summary>Which other host has the VM registered (it ran the arrival), if one does; <c>Known</c> is false when a host could not be asked.</summary>
    private static async Task<(bool Known, (HostState State, VmDto Vm)? Taken)> FindRunningElsewhereAsync(HostRecord source, string uuid, List<HostState> states, CancellationToken ct)
    {
        foreach (var state in states.Where(s => s.Host.Id != source.Id))
        {
            try
            {
                var vm = (await state.Client.ListVmsAsync(ct)).FirstOrDefault(v => string.Equals(v.Uuid, uuid, StringComparison.OrdinalIgnoreCase));
                if (vm is not null)
                {
                    return (true, (state, vm));
                }
            }
            catch (DomainException)
            {
                return (false, null);
            }
        }

        return (true, null);
    }

    /// <summary>The VM's one record moves to the host that runs it (a record the heartbeat made of the arrival goes).</summary>
    private async Task MoveRecordAsync(HostRecord source, HostRecord destination, VmDto arrived, string uuid, CancellationToken ct)
    {
        if (!Guid.TryParse(uuid, out var guid) || !VmId.TryParse(arrived.Id, out var localId))
        {
            return;
        }

        await versions.AroundAsync(source.Id, () => versions.AroundAsync(destination.Id, async () =>
        {
            await using var db = factory.CreateDbContext();
            var records = await db.Vms.Where(v => v.Uuid == guid || (v.HostId == destination.Id && v.HostLocalId == localId)).ToListAsync(ct);
            var record = records.FirstOrDefault(v => v.HostId == source.Id) ?? records.FirstOrDefault();
            if (record is null)
            {
                return 0;
            }

            db.Vms.RemoveRange(records.Where(r => r.Id != record.Id));
            await db.SaveChangesAsync(ct);
            record.HostId = destination.Id;
            record.HostLocalId = localId;
            record.PowerState = HostInventorySync.ParsePowerState(arrived.PowerState);
            CenterEventLog.Add(db, Time, CenterEventTypes.VmMigrated, $"{record.Name} migrated from {source.Address} to {destination.Address} (finished by the reconciler: its task was interrupted after the destination took over)", record.Id, record.Name);
            await db.SaveChangesAsync(ct);
            return 0;
        }));
    }

    private async Task RecordAsync(string uuid, string type, string message, CancellationToken ct)
    {
        LogSettled(Logger, uuid, message);
        await using var db = factory.CreateDbContext();
        var record = Guid.TryParse(uuid, out var guid) ? await db.Vms.AsNoTracking().FirstOrDefaultAsync(v => v.Uuid == guid, ct) : null;
        CenterEventLog.Add(db, Time, type, record is null ? $"VM {uuid}: {message}" : $"{record.Name}: {message}", record?.Id, record?.Name);
        await db.SaveChangesAsync(ct);
    }

    private static async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (DomainException)
        {
            // Already settled, or the host is unreachable: the next round sees how things stand.
            return false;
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {Uuid}: settling a migration without a task on {HostId} ({Status})")]
    private static partial void LogSettling(ILogger logger, string uuid, string hostId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {Uuid}: {Message}")]
    private static partial void LogSettled(ILogger logger, string uuid, string message);

    private sealed record HostState(HostRecord Host, HostAgentClient Client, HostMigrationsDto Migrations);
}
