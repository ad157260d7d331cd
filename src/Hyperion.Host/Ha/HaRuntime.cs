using System.Collections.Concurrent;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Ha;
using Hyperion.Domain.Vms;
using Hyperion.Host.Ha.Etcd;

namespace Hyperion.Host.Ha;

/// <summary>
/// The HA membership of this host, shared by the HA agent (which keeps the lease and acts) and the VM service (which
/// must hold a protected VM's ownership before it starts it): the configuration the Center gave (kept in
/// <c>DATA/ha.json</c>, so HA goes on across agent restarts and while the Center is down), the etcd client, the lease.
/// </summary>
internal sealed class HaRuntime : IDisposable
{
    private const string ConfigFile = "ha.json";
    private readonly string _dataDirectory;
    private readonly Func<IReadOnlyList<string>, IEtcdClient> _clientFactory;
    private readonly Lock _gate = new();
    private HostHaConfigRequest? _config;
    private IEtcdClient? _etcd;

    public HaRuntime(HostAgentOptions options, TimeProvider time, Func<IReadOnlyList<string>, IEtcdClient>? clientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Ha;
        EtcdEndpoints = options.EtcdEndpoints;
        Time = time;
        _dataDirectory = options.DataDirectory;
        _clientFactory = clientFactory ?? (endpoints => new EtcdClient(endpoints, Options.RequestTimeout));
        var path = Path.Combine(_dataDirectory, ConfigFile);
        if (File.Exists(path) && EtcdEndpoints.Count > 0)
        {
            Apply(JsonSerializer.Deserialize<HostHaConfigRequest>(File.ReadAllText(path), JsonDefaults.Options));
        }

        StartedAt = time.GetUtcNow();
        LastSuccessSentAt = StartedAt;
    }

    public HaOptions Options { get; }

    public IReadOnlyList<string> EtcdEndpoints { get; }

    public TimeProvider Time { get; }

    public DateTimeOffset StartedAt { get; }

    public HostHaConfigRequest? Config
    {
        get
        {
            lock (_gate)
            {
                return _config;
            }
        }
    }

    public IEtcdClient? Etcd
    {
        get
        {
            lock (_gate)
            {
                return _etcd;
            }
        }
    }

    public HaKeys? Keys { get; private set; }

    /// <summary>The host's lease, 0 while it holds none.</summary>
    public long Lease { get; set; }

    /// <summary>When the last keepalive (or grant) that succeeded was sent; fencing counts from here.</summary>
    public DateTimeOffset LastSuccessSentAt { get; set; }

    /// <summary>The isolation response has been applied and the lease not regained since.</summary>
    public bool Fenced { get; set; }

    /// <summary>The state <c>GET /api/host/ha</c> shows, rebuilt every round.</summary>
    public HostHaStateDto State { get; set; } = new() { Enabled = false, State = HaHostStates.Disabled };

    /// <summary>VMs that left this host by live migration: their ownership is handed over, their record kept.</summary>
    public ConcurrentDictionary<Guid, DateTimeOffset> MigratedAway { get; } = new();

    /// <summary>VMs that arrived by live migration: ownership is taken over from the source.</summary>
    public ConcurrentDictionary<Guid, DateTimeOffset> Arrived { get; } = new();

    /// <summary>Whether VM <paramref name="spec"/> is protected on this host now.</summary>
    public bool Protects(VmSpec spec) => Config is not null && !spec.Template && spec.RestartPriority != HaRestartPriority.Disabled;

    /// <summary>Enables (or reconfigures) HA here; refuses without etcd endpoints or with a bad setting.</summary>
    public void Configure(HostHaConfigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (EtcdEndpoints.Count == 0)
        {
            throw new DomainException(ErrorCodes.HaNotConfigured, "this host was started without etcd endpoints (--etcd): HA cannot be enabled on it");
        }

        if (!HaIsolationResponses.All.Contains(request.IsolationResponse))
        {
            throw new DomainException(new DomainError(ErrorCodes.HaInvalidConfig, $"isolation response '{request.IsolationResponse}' is not one of {string.Join(", ", HaIsolationResponses.All)}", "isolationResponse"));
        }

        if (string.IsNullOrWhiteSpace(request.ClusterId) || string.IsNullOrWhiteSpace(request.HostId) || request.ClusterId.Contains('/', StringComparison.Ordinal) || request.HostId.Contains('/', StringComparison.Ordinal))
        {
            throw new DomainException(new DomainError(ErrorCodes.HaInvalidConfig, "clusterId and hostId are required and may not contain '/'", "clusterId"));
        }

        var temp = Path.Combine(_dataDirectory, ConfigFile + ".tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(request, JsonDefaults.Indented));
        File.Move(temp, Path.Combine(_dataDirectory, ConfigFile), overwrite: true);
        if (Config is null)
        {
            // Fencing counts from the moment HA is on, not from the agent's start.
            LastSuccessSentAt = Time.GetUtcNow();
            Fenced = false;
        }

        Apply(request);
    }

    /// <summary>Disables HA here (the agent revokes the lease on its next round).</summary>
    public void Disable()
    {
        File.Delete(Path.Combine(_dataDirectory, ConfigFile));
        Apply(null);
    }

    /// <summary>
    /// Before a protected VM starts here: take its ownership (the etcd key bound to this host's lease) and record it
    /// as protected. Refused when another host owns it, or when this host holds no lease (etcd unreachable).
    /// </summary>
    public async Task AcquireForPowerOnAsync(VmSpec spec, string datastore, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (config, etcd, keys, lease) = (Config, Etcd, Keys, Lease);
        if (config is null || etcd is null || keys is null || !Protects(spec))
        {
            return;
        }

        if (lease == 0)
        {
            throw new DomainException(ErrorCodes.HaUnavailable, $"VM '{spec.Name}' is protected by HA but this host holds no HA lease now (etcd unreachable): it cannot be powered on safely; set its restart priority to disabled to run it unprotected");
        }

        // A member that is catching up (just healed) may miss one deadline; the client moves to the next member on a
        // failure, so a couple of attempts reach the majority.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (created, existing) = await etcd.CreateAsync(keys.Owner(spec.Uuid), config.HostId, lease, cancellationToken);
                if (!created && existing?.Value != config.HostId)
                {
                    throw new DomainException(ErrorCodes.HaOwnedElsewhere, $"VM '{spec.Name}' is owned by host {existing?.Value} (it runs there, or HA is restarting it there): not powered on here");
                }

                await etcd.PutAsync(keys.Vm(spec.Uuid), Record(spec, datastore, folder, config.HostId), 0, cancellationToken);
                return;
            }
            catch (EtcdUnavailableException ex) when (attempt >= 3)
            {
                throw new DomainException(ErrorCodes.HaUnavailable, $"VM '{spec.Name}' is protected by HA but etcd did not answer ({ex.Message}): not powered on");
            }
            catch (EtcdUnavailableException)
            {
            }
        }
    }

    public static string Record(VmSpec spec, string datastore, string folder, string hostId) =>
        JsonSerializer.Serialize(new HaVmRecord(spec.Uuid, spec.Name, datastore, folder, spec.MemoryMiB, spec.RestartPriority, hostId), JsonDefaults.Options);

    public void Dispose() => Apply(null);

    private void Apply(HostHaConfigRequest? config)
    {
        lock (_gate)
        {
            var sameCluster = _config is not null && config is not null && _config.ClusterId == config.ClusterId && _config.HostId == config.HostId;
            _config = config;
            Keys = config is null ? null : new HaKeys(config.ClusterId);
            if (!sameCluster)
            {
                (_etcd as IDisposable)?.Dispose();
                _etcd = config is null ? null : _clientFactory(EtcdEndpoints);
                Lease = 0;
            }
        }
    }
}
