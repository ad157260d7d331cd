using Hyperion.Contracts.Events;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Ha;
using Hyperion.Host.Events;
using Hyperion.Host.Ha.Etcd;
using Hyperion.Hypervisor.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Ha;

/// <summary>
/// The HA agent of a host (vSphere's FDM role), one idempotent round every keepalive interval: keep the host's etcd
/// lease, publish the host, take part in the master election, hold the ownership of every protected VM running here,
/// carry out restarts the master assigns here, restart crashed protected VMs (VM monitoring), and — as master — decide
/// the restarts of failed hosts' VMs. A watchdog apart from the round applies the isolation response when the lease
/// cannot be kept (see <see cref="HaOptions"/> for the timing argument).
/// </summary>
internal sealed partial class HaAgent : BackgroundService
{
    private readonly HaRuntime _runtime;
    private readonly IHaVms _vms;
    private readonly HostEventLog _events;
    private readonly HeartbeatObserver _heartbeats;
    private readonly GuestHeartbeatMonitor _guestHeartbeats;
    private readonly HeartbeatProcess? _heartbeatProcess;
    private readonly string _dataDirectory;
    private readonly ILogger<HaAgent> _logger;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly IIsolationProbe _isolation;
    private readonly HaRestartQueue _restarts;
    private int _fences;
    private DateTimeOffset _probedAt = DateTimeOffset.MinValue;
    private bool _partitionReported;
    private readonly Dictionary<Guid, HaVmProtection> _lastVerdicts = [];
    private DateTimeOffset _hostPublishedAt = DateTimeOffset.MinValue;
    private string? _publishedHost;
    private string? _lastMaster;
    private bool _wasMaster;
    private string _lastState = HaHostStates.Disabled;

    public HaAgent(HaRuntime runtime, IHaVms vms, HostEventLog events, HeartbeatProcess? heartbeatProcess, HostAgentOptions options, IIsolationProbe isolation, ILogger<HaAgent> logger)
    {
        _isolation = isolation;
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(options);
        _runtime = runtime;
        _vms = vms;
        _events = events;
        _heartbeatProcess = heartbeatProcess;
        _dataDirectory = options.DataDirectory;
        _logger = logger;
        _heartbeats = new HeartbeatObserver(runtime.Time, runtime.Options.HeartbeatStale);
        _guestHeartbeats = new GuestHeartbeatMonitor(runtime.Time);
        _restarts = new HaRestartQueue(runtime.Options.MaxConcurrentRestarts);
    }

    private TimeProvider Time => _runtime.Time;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchdog = WatchdogAsync(stoppingToken);
        using var timer = new PeriodicTimer(_runtime.Options.KeepaliveInterval, Time);
        do
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));

        await watchdog;
    }

    /// <summary>Checks, four times per keepalive interval, whether the host must fence itself; independent of etcd calls that may hang.</summary>
    private async Task WatchdogAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_runtime.Options.KeepaliveInterval / 4, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await FenceIfLeaseLostAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Applies the isolation response once when no keepalive has succeeded for <see cref="HaOptions.FenceAfter"/>.</summary>
    public async Task<bool> FenceIfLeaseLostAsync(CancellationToken cancellationToken)
    {
        var config = _runtime.Config;
        var now = Time.GetUtcNow();
        if (config is null || _runtime.Fenced || !HaFencing.MustFence(_runtime.LastSuccessSentAt, now, _runtime.Options.FenceAfter))
        {
            return false;
        }

        // Isolated, or only cut off from etcd's majority (or slow)? vSphere applies the isolation response only when
        // the host cannot reach its isolation addresses; a host that still can keeps its VMs, and the master leaves
        // them alone while its datastore heartbeat shows them running.
        if (now - _probedAt < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _probedAt = now;
        if (await _isolation.PeersReachableAsync(cancellationToken))
        {
            if (!_partitionReported)
            {
                _partitionReported = true;
                _events.Publish(EventTypes.HaStateChanged, $"HA: no etcd keepalive succeeded for {_runtime.Options.FenceAfter.TotalSeconds:F1} s but other etcd members are reachable: partitioned or slow, not isolated; VMs kept running");
                SetState(HaHostStates.Partitioned, "lost its HA lease but reaches the cluster's network: VMs kept running");
            }

            return false;
        }

        _runtime.Fenced = true;
        Interlocked.Increment(ref _fences);
        _restarts.ClearWaiting();
        var protectedHere = _vms.HaSnapshot().Where(v => v.PowerState != Domain.Vms.VmPowerState.PoweredOff && _runtime.Protects(v.Spec)).ToList();
        _events.Publish(
            EventTypes.HaIsolationResponse,
            $"HA: no etcd keepalive succeeded for {_runtime.Options.FenceAfter.TotalSeconds:F1} s (lease TTL {_runtime.Options.LeaseTtl.TotalSeconds:F0} s): host isolated; isolation response '{config.IsolationResponse}' applied to {protectedHere.Count} protected VM(s)");
        foreach (var vm in protectedHere)
        {
            try
            {
                await _vms.FenceAsync(vm.Id, config.IsolationResponse, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFenceFailed(_logger, vm.Id, ex);
            }
        }

        WriteHeartbeatPlan(config, isolated: true);
        SetState(HaHostStates.Isolated, "lost its HA lease; isolation response applied");
        return true;
    }

    /// <summary>One round (idempotent). Public for tests, which drive it with fake time.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            var config = _runtime.Config;
            if (config is null)
            {
                await StopAsync();
                return;
            }

            WriteHeartbeatPlan(config, isolated: _runtime.Fenced || _runtime.Lease == 0);
            _heartbeatProcess?.EnsureRunning();
            var etcd = _runtime.Etcd!;
            var keys = _runtime.Keys!;
            if (!await KeepLeaseAsync(etcd, cancellationToken))
            {
                return;
            }

            var view = await RoundAsync(config, etcd, keys, cancellationToken);
            Publish(config, view);
        }
        catch (EtcdUnavailableException ex)
        {
            SetState(_runtime.Fenced ? HaHostStates.Isolated : _runtime.Lease == 0 ? HaHostStates.Initializing : _lastState, ex.Message);
        }
        finally
        {
            _round.Release();
        }
    }

    /// <summary>
    /// Turns HA off here: this host's protected VMs are unprotected (their records and ownership removed, so nobody
    /// restarts them), the lease revoked, the heartbeat process stopped. Best effort against etcd.
    /// </summary>
    public async Task DisableAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            var (config, etcd, keys, lease) = (_runtime.Config, _runtime.Etcd, _runtime.Keys, _runtime.Lease);
            if (config is not null && etcd is not null && keys is not null)
            {
                try
                {
                    var view = ClusterView.Parse(keys, await etcd.GetPrefixAsync(keys.Prefix, cancellationToken));
                    foreach (var record in view.Vms.Values.Where(r => r.HostId == config.HostId))
                    {
                        await etcd.DeleteAsync(keys.Vm(record.Uuid), cancellationToken);
                    }

                    if (lease != 0)
                    {
                        await etcd.RevokeAsync(lease, cancellationToken);
                    }
                }
                catch (EtcdUnavailableException ex)
                {
                    LogDisableIncomplete(_logger, ex.Message);
                }
            }

            _runtime.Disable();
            await StopAsync();
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task<bool> KeepLeaseAsync(IEtcdClient etcd, CancellationToken cancellationToken)
    {
        var sentAt = Time.GetUtcNow();
        if (_runtime.Lease == 0)
        {
            _runtime.Lease = await etcd.GrantAsync((int)_runtime.Options.LeaseTtl.TotalSeconds, cancellationToken);
            _runtime.LastSuccessSentAt = sentAt;
            _partitionReported = false;
            _publishedHost = null;
            if (_runtime.Fenced)
            {
                _events.Publish(EventTypes.HaStateChanged, "HA: etcd reachable again; new lease granted, isolation over");
            }

            _runtime.Fenced = false;
            return true;
        }

        var ttl = await etcd.KeepAliveAsync(_runtime.Lease, cancellationToken);
        if (ttl > 0)
        {
            _runtime.LastSuccessSentAt = sentAt;
            _partitionReported = false;
            return true;
        }

        // Expired: everything bound to it is gone; a new lease is granted next round (after fencing, if it was due).
        _events.Publish(EventTypes.HaStateChanged, "HA: this host's lease expired in etcd; a new one is taken");
        _runtime.Lease = 0;
        await FenceIfLeaseLostAsync(cancellationToken);
        return false;
    }

    private async Task StopAsync()
    {
        if (_lastState == HaHostStates.Disabled)
        {
            return;
        }

        _restarts.ClearWaiting();
        _heartbeatProcess?.Stop();
        File.Delete(HeartbeatPlan.PathIn(_dataDirectory));
        _heartbeats.Reset();
        _lastVerdicts.Clear();
        _runtime.Lease = 0;
        _runtime.Fenced = false;
        _runtime.State = new HostHaStateDto { Enabled = false, State = HaHostStates.Disabled, EtcdEndpoints = _runtime.EtcdEndpoints };
        _lastState = HaHostStates.Disabled;
        _events.Publish(EventTypes.HaStateChanged, "HA: disabled on this host");
        await Task.CompletedTask;
    }

    private void WriteHeartbeatPlan(HostHaConfigRequest config, bool isolated)
    {
        var files = _vms.HeartbeatFiles(config.ClusterId, config.HostId, config.HeartbeatDatastores);
        var vms = _vms.HaSnapshot().Where(v => _runtime.Protects(v.Spec)).Select(v => new HeartbeatPlanVm(v.Spec.Uuid, v.PidFile)).OrderBy(v => v.Uuid).ToList();
        new HeartbeatPlan(config.ClusterId, config.HostId, files, (int)_runtime.Options.HeartbeatInterval.TotalMilliseconds, isolated, vms).Save(_dataDirectory);
    }

    private void SetState(string state, string? message)
    {
        if (state != _lastState)
        {
            _events.Publish(EventTypes.HaStateChanged, $"HA: this host is now {state}{(message is null ? string.Empty : $" ({message})")}");
            _lastState = state;
        }

        _runtime.State = _runtime.State with { State = state, Message = message, Enabled = _runtime.Config is not null };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HA disabled while etcd did not answer ({Reason}): the cluster forgets this host's VMs when its lease expires")]
    private static partial void LogDisableIncomplete(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HA round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "HA: could not apply the isolation response to VM {VmId}")]
    private static partial void LogFenceFailed(ILogger logger, string vmId, Exception exception);
}
