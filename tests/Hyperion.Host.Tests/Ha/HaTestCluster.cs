using Hyperion.Contracts.Ha;
using Hyperion.Domain.Ha;
using Hyperion.Domain.Vms;
using Hyperion.Host.Events;
using Hyperion.Host.Ha;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Host.Tests.Ha;

/// <summary>
/// Several HA agents on fake time against one <see cref="FakeEtcd"/>, with datastore heartbeats as files: the protocol
/// (lease, election, ownership, fencing, restart) run round by round, no sleeping, checking after every step that no
/// VM runs twice.
/// </summary>
internal sealed class HaTestCluster : IDisposable
{
    public const string ClusterId = "domain-c1";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hyperion-ha-{Guid.NewGuid():N}");
    private readonly List<Member> _members = [];

    public HaTestCluster(int hosts, string isolationResponse = HaIsolationResponses.PowerOff, HaOptions? ha = null)
    {
        Directory.CreateDirectory(_root);
        World = new HaWorld(Path.Combine(_root, "shared"));
        Etcd = new FakeEtcd(Time);
        for (var i = 1; i <= hosts; i++)
        {
            var hostId = $"host-{i}";
            var data = Path.Combine(_root, hostId);
            Directory.CreateDirectory(data);
            var options = new HostAgentOptions { DataDirectory = data, EtcdEndpoints = ["http://fake:2379"], Ha = ha ?? new HaOptions() };
            var member = new Member(hostId, options, Etcd.Client(), new FakeHaVms(hostId, World), new HostEventLog(data, Time), Time);
            member.Runtime.Configure(new HostHaConfigRequest(ClusterId, hostId, hostId, isolationResponse, true, ["shared"], 1));
            _members.Add(member);
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    public FakeEtcd Etcd { get; }

    public HaWorld World { get; }

    public IReadOnlyList<Member> Members => _members;

    public Member this[int n] => _members[n - 1];

    public static VmSpec Vm(string name, HaRestartPriority priority = HaRestartPriority.Medium, long memoryMiB = 128) => new()
    {
        Name = name,
        Uuid = Guid.NewGuid(),
        Cpus = 1,
        MemoryMiB = memoryMiB,
        Boot = new BootSpec(BootKind.Kernel, "tiny", null, null, null, null),
        RestartPriority = priority,
    };

    /// <summary>One keepalive interval: every live agent runs its round, every live heartbeat process beats, time moves on, watchdogs check.</summary>
    public async Task StepAsync()
    {
        foreach (var member in _members.Where(m => m.AgentAlive))
        {
            await member.Agent.ReconcileAsync(CancellationToken.None);
        }

        foreach (var member in _members.Where(m => m.HeartbeatAlive))
        {
            member.Beat(World);
        }

        Time.Advance(TimeSpan.FromMilliseconds(500));
        foreach (var member in _members.Where(m => m.AgentAlive))
        {
            await member.Agent.FenceIfLeaseLostAsync(CancellationToken.None);
        }

        Assert.Empty(World.Violations);
    }

    public async Task StepsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await StepAsync();
        }
    }

    /// <summary>Steps until <paramref name="condition"/> holds; returns the fake time it took. Fails after <paramref name="max"/> steps.</summary>
    public async Task<TimeSpan> UntilAsync(Func<bool> condition, string what, int max = 60)
    {
        var start = Time.GetUtcNow();
        for (var i = 0; i < max && !condition(); i++)
        {
            await StepAsync();
        }

        Assert.True(condition(), $"{what}: not within {max} steps; events: {string.Join(" | ", _members.SelectMany(m => m.Events.List(0, 10_000).Select(e => $"{m.HostId}: {e.Message}")).TakeLast(12))}");
        return Time.GetUtcNow() - start;
    }

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Runtime.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private sealed class FakeIsolationProbe(Member member) : IIsolationProbe
    {
        public Task<bool> PeersReachableAsync(CancellationToken cancellationToken) => Task.FromResult(member.Client.Reachable || member.NetworkUp);
    }

    internal sealed class Member
    {
        private readonly string hostId;
        private readonly HostAgentOptions _options;
        private readonly FakeHaVms vms;
        private readonly TimeProvider _time;
        private long _sequence;

        public Member(string hostId, HostAgentOptions options, FakeEtcdClient client, FakeHaVms vms, HostEventLog events, TimeProvider time)
        {
            this.hostId = hostId;
            _options = options;
            this.vms = vms;
            _time = time;
            Client = client;
            Events = events;
            RestartAgent();
        }

        public string HostId => hostId;

        public HaRuntime Runtime { get; private set; } = null!;

        public HaAgent Agent { get; private set; } = null!;

        public FakeHaVms Vms => vms;

        public FakeEtcdClient Client { get; }

        public HostEventLog Events { get; }

        /// <summary>A new agent process: fresh runtime state, the HA configuration read back from its data directory.</summary>
        public void RestartAgent()
        {
            Runtime?.Dispose();
            Runtime = new HaRuntime(_options, _time, _ => Client);
            Agent = new HaAgent(Runtime, vms, Events, null, _options, new FakeIsolationProbe(this), NullLogger<HaAgent>.Instance);
            AgentAlive = true;
        }

        public bool AgentAlive { get; set; } = true;

        /// <summary>Whether the network still reaches the other members when etcd does not answer (slow or partitioned, not isolated).</summary>
        public bool NetworkUp { get; set; }

        public bool HeartbeatAlive { get; set; } = true;

        /// <summary>What the heartbeat process does: the protected VMs whose QEMU lives, to the datastore.</summary>
        public void Beat(HaWorld world)
        {
            var running = vms.HaSnapshot().Where(v => v.PowerState != VmPowerState.PoweredOff && Runtime.Protects(v.Spec)).Select(v => v.Spec.Uuid).ToList();
            new DatastoreHeartbeat(hostId, ++_sequence, DateTimeOffset.UnixEpoch, Runtime.Fenced, running)
                .Write(DatastoreHeartbeat.PathFor(world.Datastore, ClusterId, hostId));
        }

        /// <summary>Power loss: agent, heartbeat and QEMUs all gone at once.</summary>
        public void PowerOff()
        {
            AgentAlive = false;
            HeartbeatAlive = false;
            vms.LosePower();
        }
    }
}
