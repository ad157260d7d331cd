using Hyperion.Domain.Vms;

namespace Hyperion.Host.Tests.Ha;

/// <summary>What is true across the simulated hosts: which VM's QEMU runs where. Records every moment a VM ran on two hosts.</summary>
internal sealed class HaWorld(string datastore)
{
    private readonly Dictionary<Guid, HashSet<string>> _running = [];

    public string Datastore { get; } = datastore;

    public Dictionary<Guid, VmSpec> Catalog { get; } = [];

    public List<string> Violations { get; } = [];

    public IReadOnlySet<string> RunningOn(Guid uuid) => _running.TryGetValue(uuid, out var hosts) ? hosts : new HashSet<string>();

    public void Started(Guid uuid, string host)
    {
        if (!_running.TryGetValue(uuid, out var hosts))
        {
            _running[uuid] = hosts = new HashSet<string>(StringComparer.Ordinal);
        }

        hosts.Add(host);
        if (hosts.Count > 1)
        {
            Violations.Add($"VM {uuid} runs on {string.Join(" and ", hosts)}");
        }
    }

    public void Stopped(Guid uuid, string host)
    {
        if (_running.TryGetValue(uuid, out var hosts))
        {
            hosts.Remove(host);
        }
    }
}
