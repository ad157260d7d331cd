using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Ha;
using Hyperion.Domain.Vms;
using Hyperion.Host.Ha.Etcd;
using Hyperion.Host.Vms;

namespace Hyperion.Host.Ha;

internal sealed partial class HaAgent
{
    private static readonly TimeSpan HostRepublish = TimeSpan.FromSeconds(5);
    private IReadOnlyList<HaVmVerdict> _verdicts = [];
    private readonly Dictionary<string, HaHostState> _reportedHosts = new(StringComparer.Ordinal);
    private Dictionary<string, HaHostView> _hostViews = new(StringComparer.Ordinal);

    private async Task<ClusterView> RoundAsync(HostHaConfigRequest config, IEtcdClient etcd, HaKeys keys, CancellationToken cancellationToken)
    {
        var me = config.HostId;
        var lease = _runtime.Lease;
        await PublishHostAsync(config, etcd, keys, lease, cancellationToken);

        var view = ClusterView.Parse(keys, await etcd.GetPrefixAsync(keys.Prefix, cancellationToken));
        if (view.Master is null)
        {
            var (created, existing) = await etcd.CreateAsync(keys.Master, me, lease, cancellationToken);
            view = view with { Master = created ? me : existing?.Value };
        }

        if (view.Master != _lastMaster)
        {
            _lastMaster = view.Master;
            if (view.Master == me)
            {
                _events.Publish(EventTypes.HaMasterElected, "HA: this host won the master election: it now watches every host and VM of the cluster");
            }
        }

        await LocalDutiesAsync(config, etcd, keys, view, cancellationToken);
        ObserveHeartbeats(config, view);
        var isMaster = view.Master == me;
        if (isMaster)
        {
            await MasterDutiesAsync(etcd, keys, view, cancellationToken);
        }
        else if (_wasMaster)
        {
            _lastVerdicts.Clear();
        }

        _wasMaster = isMaster;
        SetState(isMaster ? HaHostStates.Master : HaHostStates.Connected, null);
        return view;
    }

    private async Task PublishHostAsync(HostHaConfigRequest config, IEtcdClient etcd, HaKeys keys, long lease, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.Serialize(new HaHostRecord(config.HostId, config.HostName, _vms.AvailableMemoryMiB(), _vms.TotalMemoryMiB(), config.Maintenance), JsonDefaults.Options);
        var now = Time.GetUtcNow();
        if (record != _publishedHost || now - _hostPublishedAt >= HostRepublish)
        {
            await etcd.PutAsync(keys.Host(config.HostId), record, lease, cancellationToken);
            _publishedHost = record;
            _hostPublishedAt = now;
        }
    }

    /// <summary>What every host does for its own VMs: hold their ownership, unprotect what was powered off, restart what crashed, run what the master assigned here.</summary>
    private async Task LocalDutiesAsync(HostHaConfigRequest config, IEtcdClient etcd, HaKeys keys, ClusterView view, CancellationToken cancellationToken)
    {
        var me = config.HostId;
        var lease = _runtime.Lease;
        var local = _vms.HaSnapshot();
        var byUuid = local.GroupBy(v => v.Spec.Uuid).ToDictionary(g => g.Key, g => g.First());
        var restarts = new List<HaRestart>();

        foreach (var vm in local.Where(v => v.PowerState != VmPowerState.PoweredOff && !v.Migrating))
        {
            var uuid = vm.Spec.Uuid;
            view.Owners.TryGetValue(uuid, out var owner);
            if (!_runtime.Protects(vm.Spec))
            {
                if (owner == me)
                {
                    await UnprotectAsync(etcd, keys, vm.Spec, me, "its restart priority is disabled", cancellationToken);
                }

                continue;
            }

            if (owner is null)
            {
                var (created, existing) = await etcd.CreateAsync(keys.Owner(uuid), me, lease, cancellationToken);
                owner = created ? me : existing?.Value;
            }
            else if (owner != me && _runtime.Arrived.ContainsKey(uuid))
            {
                // Arrived by live migration: the source still holds it until its own round lets go; take it over.
                if (await etcd.CompareAndPutAsync(keys.Owner(uuid), owner, me, lease, cancellationToken))
                {
                    owner = me;
                }
            }

            if (owner == me)
            {
                _runtime.Arrived.TryRemove(uuid, out _);
                var record = HaRuntime.Record(vm.Spec, vm.Datastore, vm.Folder, me);
                // Compared as stored: a priority, name or memory changed here must reach the master (it restarts by them).
                if (!view.Vms.TryGetValue(uuid, out var current) || JsonSerializer.Serialize(current, JsonDefaults.Options) != record)
                {
                    await etcd.PutAsync(keys.Vm(uuid), record, 0, cancellationToken);
                }
            }
            else if (owner is not null && !_runtime.Arrived.ContainsKey(uuid))
            {
                // Owned by a live host that runs it too: two copies must never run; the owner's is the cluster's.
                _events.Publish(EventTypes.HaVmConflict, $"HA: VM is owned by host {owner}, which runs it; this copy is killed so it never runs twice", vm.Id, vm.Spec.Name);
                await _vms.FenceAsync(vm.Id, HaIsolationResponses.PowerOff, cancellationToken);
            }
        }

        // This host's records, and VMs owned here that the isolation response stopped while an HA restart brought
        // them up (their record still names the host they were restarted from).
        foreach (var record in view.Vms.Values.Where(r => r.HostId == me
            || (view.Owners.GetValueOrDefault(r.Uuid) == me && byUuid.TryGetValue(r.Uuid, out var stopped) && stopped.LastExit == VmExitCause.Fenced)))
        {
            view.Owners.TryGetValue(record.Uuid, out var owner);
            if (view.Assignments.ContainsKey(record.Uuid))
            {
                continue;
            }

            if (_runtime.MigratedAway.ContainsKey(record.Uuid))
            {
                // Left by live migration: hand the ownership over, keep the record for the destination to update.
                if (owner == me)
                {
                    await etcd.CompareAndDeleteAsync(keys.Owner(record.Uuid), me, cancellationToken);
                }

                continue;
            }

            if (!byUuid.TryGetValue(record.Uuid, out var vm))
            {
                if (owner is null || owner == me)
                {
                    await UnprotectAsync(etcd, keys, null, me, "it is no longer registered on its host", cancellationToken, record);
                }

                continue;
            }

            if (vm.PowerState != VmPowerState.PoweredOff || vm.Migrating || vm.Busy)
            {
                continue;
            }

            if (owner is not null && owner != me)
            {
                continue;
            }

            if (_restarts.Contains(record.Uuid))
            {
                continue;
            }

            switch (vm.LastExit)
            {
                case VmExitCause.Crashed when config.VmMonitoring && vm.Spec.VmMonitoring:
                case VmExitCause.Fenced:
                    restarts.Add(new HaRestart(vm.Id, record, vm.LastExit == VmExitCause.Fenced ? "powered off by the isolation response; this host is back" : "its QEMU died (VM monitoring)", EventTypes.HaVmMonitoringRestart, Assigned: false));
                    break;
                default:
                    await UnprotectAsync(etcd, keys, vm.Spec, me, vm.LastExit switch
                    {
                        VmExitCause.Crashed => "its QEMU died and VM monitoring is off",
                        VmExitCause.GuestShutdown => "the guest powered it off",
                        _ => "it was powered off",
                    }, cancellationToken);
                    break;
            }
        }

        foreach (var (uuid, target) in view.Assignments.Where(a => a.Value == me))
        {
            if (view.Owners.ContainsKey(uuid) || !view.Vms.TryGetValue(uuid, out var record))
            {
                continue;
            }

            var id = byUuid.TryGetValue(uuid, out var existing) ? existing.Id : null;
            restarts.Add(new HaRestart(id, record, $"host {record.HostId} failed or was cut off", EventTypes.HaVmRestarted, Assigned: true));
        }

        // Carried out apart from this round, a few at once, highest priority first (HaOptions.MaxConcurrentRestarts).
        _restarts.Enqueue(restarts.Select(r => (r.Record.Uuid, r.Record.Priority, (Func<Task>)(() => RestartInBackgroundAsync(r, cancellationToken)))));

        // VM monitoring of the guest: a protected VM whose guest heartbeat stopped is reset.
        if (config.VmMonitoring)
        {
            var watched = local.Where(v => v.PowerState == VmPowerState.PoweredOn && !v.Migrating && !v.Busy && v.Spec.VmMonitoring && _runtime.Protects(v.Spec));
            foreach (var vm in _guestHeartbeats.Due(watched))
            {
                try
                {
                    await _vms.ResetAsync(vm.Id, cancellationToken);
                    _events.Publish(EventTypes.HaVmMonitoringReset, $"HA VM monitoring: no {(vm.Spec.GuestAgent ? "guest agent heartbeat" : "guest heartbeat")} for {vm.Spec.VmMonitoringTimeoutSeconds} s: the VM was reset ({_guestHeartbeats.ResetsInLastHour(vm.Id)} of at most {GuestHeartbeatMonitor.MaxResetsPerHour} resets an hour)", vm.Id, vm.Spec.Name);
                }
                catch (DomainException ex)
                {
                    LogCleanupFailed(_logger, vm.Id, ex.Message);
                }
            }
        }

        // Registrations left behind here after HA restarted the VM on another host.
        foreach (var vm in local.Where(v => v.PowerState == VmPowerState.PoweredOff && !v.Migrating && !v.Busy))
        {
            if (view.Vms.TryGetValue(vm.Spec.Uuid, out var record) && record.HostId != me && view.Owners.TryGetValue(vm.Spec.Uuid, out var owner) && owner != me)
            {
                try
                {
                    await _vms.UnregisterAsync(vm.Id, cancellationToken);
                    _events.Publish(EventTypes.HaVmUnprotected, $"HA restarted this VM on host {owner}: its registration here is removed (its files stay on datastore '{vm.Datastore}')", vm.Id, vm.Spec.Name);
                }
                catch (DomainException ex)
                {
                    LogCleanupFailed(_logger, vm.Id, ex.Message);
                }
            }
        }
    }

    private async Task RestartInBackgroundAsync(HaRestart restart, CancellationToken cancellationToken)
    {
        try
        {
            await RestartHereAsync(restart, cancellationToken);
        }
        catch (EtcdUnavailableException ex)
        {
            // Ownership (if taken) is bound to the lease; the next round repairs the record or queues the restart again.
            LogRestartInterrupted(_logger, restart.Record.Name, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRestartCrashed(_logger, restart.Record.Name, ex);
        }
    }

    /// <summary>
    /// One restart, run by <see cref="HaRestartQueue"/>: ownership in etcd first (bound to the lease), then register,
    /// then QEMU. It may have waited for a slot, so it begins only while this host holds the lease it had when the
    /// restart began and is not due to fence, and (an assignment) while the master still assigns the VM here. Once the
    /// ownership is taken it goes on as the sequential restart did: giving up between the ownership and QEMU could
    /// leave the VM owned here (a lease that survives a short outage) and run nowhere.
    /// </summary>
    private async Task RestartHereAsync(HaRestart restart, CancellationToken cancellationToken)
    {
        var (config, etcd, keys, lease) = (_runtime.Config, _runtime.Etcd, _runtime.Keys, _runtime.Lease);
        if (config is null || etcd is null || keys is null || !MayStartUnder(lease))
        {
            return;
        }

        var me = config.HostId;
        var record = restart.Record;
        if (restart.Assigned && (await etcd.GetAsync(keys.Assignment(record.Uuid), cancellationToken))?.Value != me)
        {
            // The master moved or withdrew the assignment while this restart waited for a slot.
            return;
        }

        var (created, existing) = await etcd.CreateAsync(keys.Owner(record.Uuid), me, lease, cancellationToken);
        if (!created && existing?.Value != me)
        {
            return;
        }

        var id = restart.Id;
        try
        {
            id ??= await _vms.RegisterForHaAsync(record.Datastore, record.Folder, record.Uuid, cancellationToken);
            var fences = Volatile.Read(ref _fences);
            await _vms.PowerOnAsync(id, cancellationToken);
            if (Volatile.Read(ref _fences) != fences)
            {
                // The watchdog applied the isolation response while this QEMU was starting (its snapshot missed it),
                // and the record still names the failed host, whose stale heartbeat does not protect it: this one gets
                // the response too. Owned here, it is restarted here if the lease survives (see LocalDutiesAsync).
                await _vms.FenceAsync(id, config.IsolationResponse, cancellationToken);
                return;
            }

            await etcd.PutAsync(keys.Vm(record.Uuid), JsonSerializer.Serialize(record with { HostId = me }, JsonDefaults.Options), 0, cancellationToken);
            await etcd.DeleteAsync(keys.Assignment(record.Uuid), cancellationToken);
            _events.Publish(restart.EventType, $"HA: restarted here ({restart.Why})", id, record.Name);
        }
        catch (DomainException ex)
        {
            await etcd.CompareAndDeleteAsync(keys.Owner(record.Uuid), me, cancellationToken);
            await etcd.PutAsync(keys.Failure(record.Uuid, me), ex.Message, lease, cancellationToken);
            _events.Publish(EventTypes.HaVmRestartFailed, $"HA: could not restart VM here ({restart.Why}): {ex.Message}", id, record.Name);
        }
    }

    /// <summary>
    /// Whether this host holds <paramref name="lease"/> with time to spare before it would fence. Not "not fenced": a
    /// host fenced by a short outage that kept its lease restarts its own fenced VMs (nobody else may: it owns them).
    /// </summary>
    private bool MayStartUnder(long lease) =>
        lease != 0 && _runtime.Lease == lease && !HaFencing.MustFence(_runtime.LastSuccessSentAt, Time.GetUtcNow(), _runtime.Options.FenceAfter);

    private async Task UnprotectAsync(IEtcdClient etcd, HaKeys keys, VmSpec? spec, string me, string why, CancellationToken cancellationToken, HaVmRecord? record = null)
    {
        var uuid = spec?.Uuid ?? record!.Uuid;
        await etcd.CompareAndDeleteAsync(keys.Owner(uuid), me, cancellationToken);
        await etcd.DeleteAsync(keys.Vm(uuid), cancellationToken);
        _events.Publish(EventTypes.HaVmUnprotected, $"HA: no longer protected: {why}", null, spec?.Name ?? record?.Name);
    }

    private void ObserveHeartbeats(HostHaConfigRequest config, ClusterView view)
    {
        var hostIds = view.Hosts.Keys.Concat(view.Vms.Values.Select(v => v.HostId)).Concat(_heartbeats.HostIds).Append(config.HostId).Distinct(StringComparer.Ordinal).ToList();
        var views = new Dictionary<string, HaHostView>(StringComparer.Ordinal);
        foreach (var hostId in hostIds)
        {
            var heartbeat = _heartbeats.Observe(hostId, _vms.HeartbeatFiles(config.ClusterId, hostId, config.HeartbeatDatastores));
            views[hostId] = view.Hosts.TryGetValue(hostId, out var host)
                ? new HaHostView(hostId, true, host.FreeMemoryMiB, host.Maintenance, heartbeat)
                : new HaHostView(hostId, false, 0, false, heartbeat);
        }

        _hostViews = views;
    }

    private async Task MasterDutiesAsync(IEtcdClient etcd, HaKeys keys, ClusterView view, CancellationToken cancellationToken)
    {
        var plan = HaRestartPlanner.Plan(view.Vms.Values.ToList(), view.Owners, _hostViews, view.Assignments, view.Failures);
        _verdicts = plan.Verdicts;
        foreach (var (uuid, target) in view.Assignments)
        {
            var verdict = plan.Verdicts.FirstOrDefault(v => v.Vm.Uuid == uuid);
            if (verdict is null || verdict.Protection != HaVmProtection.Restarting || verdict.TargetHostId != target)
            {
                await etcd.CompareAndDeleteAsync(keys.Assignment(uuid), target, cancellationToken);
            }
        }

        foreach (var assignment in plan.NewAssignments)
        {
            await etcd.PutAsync(keys.Assignment(assignment.Vm.Uuid), assignment.TargetHostId!, _runtime.Lease, cancellationToken);
            _events.Publish(EventTypes.HaVmRestarting, $"HA master: {assignment.Message}", null, assignment.Vm.Name);
        }

        foreach (var verdict in plan.Verdicts)
        {
            if (_lastVerdicts.TryGetValue(verdict.Vm.Uuid, out var last) && last == verdict.Protection)
            {
                continue;
            }

            _lastVerdicts[verdict.Vm.Uuid] = verdict.Protection;
            if (verdict.Protection == HaVmProtection.Unplaced)
            {
                _events.Publish(EventTypes.HaVmUnplaced, $"HA master: {verdict.Message}", null, verdict.Vm.Name);
            }
            else if (verdict.Protection == HaVmProtection.RunningOnIsolatedHost)
            {
                _events.Publish(EventTypes.HaStateChanged, $"HA master: {verdict.Message}", null, verdict.Vm.Name);
            }
        }

        foreach (var host in _hostViews.Values)
        {
            var state = HaHostClassifier.Classify(host, view.Master);
            if (state is HaHostState.Failed or HaHostState.Partitioned or HaHostState.Isolated)
            {
                if (_reportedHosts.TryGetValue(host.HostId, out var reported) && reported == state)
                {
                    continue;
                }

                _reportedHosts[host.HostId] = state;
                _events.Publish(EventTypes.HaHostFailed, state == HaHostState.Failed
                    ? $"HA master: host {host.HostId} failed (lease expired, datastore heartbeat stale): its protected VMs are restarted elsewhere"
                    : $"HA master: host {host.HostId} is {(state == HaHostState.Isolated ? "isolated" : "partitioned")} (lease expired, datastore heartbeat alive)");
            }
            else
            {
                _reportedHosts.Remove(host.HostId);
            }
        }
    }

    private void Publish(HostHaConfigRequest config, ClusterView view)
    {
        var hosts = _hostViews.Values.OrderBy(h => h.HostId, StringComparer.Ordinal).Select(h =>
        {
            var state = HaHostClassifier.Classify(h, view.Master) switch
            {
                HaHostState.Master => HaHostStates.Master,
                HaHostState.Connected => HaHostStates.Connected,
                HaHostState.Maintenance => HaHostStates.Maintenance,
                HaHostState.Partitioned => HaHostStates.Partitioned,
                HaHostState.Isolated => HaHostStates.Isolated,
                HaHostState.Failed => HaHostStates.Failed,
                _ => HaHostStates.Initializing,
            };
            var name = view.Hosts.TryGetValue(h.HostId, out var record) ? record.HostName : h.HostId;
            return new HaHostDto(h.HostId, name, state, h.HostId == view.Master, h.LeaseHeld, _heartbeats.AgeMs(h.HostId), h.FreeMemoryMiB, view.Owners.Count(o => o.Value == h.HostId));
        }).ToList();
        var verdicts = view.Master == config.HostId ? _verdicts : HaRestartPlanner.Plan(view.Vms.Values.ToList(), view.Owners, _hostViews, view.Assignments, view.Failures).Verdicts;
        var vms = verdicts.Select(v => new HaVmDto(
            v.Vm.Uuid.ToString("D"),
            v.Vm.Name,
            v.Vm.HostId,
            view.Owners.GetValueOrDefault(v.Vm.Uuid),
            HaRestartPriorityNames.Name(v.Vm.Priority),
            v.Protection switch
            {
                HaVmProtection.Protected => HaVmProtectionStates.Protected,
                HaVmProtection.Restarting => HaVmProtectionStates.Restarting,
                HaVmProtection.Unplaced => HaVmProtectionStates.Unplaced,
                HaVmProtection.RunningOnIsolatedHost => HaVmProtectionStates.RunningOnIsolatedHost,
                _ => HaVmProtectionStates.Waiting,
            },
            v.Vm.MemoryMiB,
            v.Message)).ToList();
        _runtime.State = new HostHaStateDto
        {
            Enabled = true,
            State = _lastState,
            ClusterId = config.ClusterId,
            HostId = config.HostId,
            MasterHostId = view.Master,
            IsolationResponse = config.IsolationResponse,
            VmMonitoring = config.VmMonitoring,
            HostFailuresTolerated = config.HostFailuresTolerated,
            HeartbeatDatastores = config.HeartbeatDatastores,
            EtcdEndpoints = _runtime.EtcdEndpoints,
            Hosts = hosts,
            Vms = vms,
        };
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "HA: the restart of VM {VmName} was interrupted: etcd did not answer ({Reason}); the next round takes it up again")]
    private static partial void LogRestartInterrupted(Microsoft.Extensions.Logging.ILogger logger, string vmName, string reason);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "HA: the restart of VM {VmName} failed unexpectedly")]
    private static partial void LogRestartCrashed(Microsoft.Extensions.Logging.ILogger logger, string vmName, Exception exception);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "HA: could not remove the stale registration of VM {VmId}: {Reason}")]
    private static partial void LogCleanupFailed(Microsoft.Extensions.Logging.ILogger logger, string vmId, string reason);
}
