using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Domain.Ha;
using Hyperion.Host.Ha.Etcd;

namespace Hyperion.Host.Ha;

/// <summary>One read of a cluster's whole key space (one etcd range request), parsed.</summary>
internal sealed record ClusterView(
    string? Master,
    IReadOnlyDictionary<string, HaHostRecord> Hosts,
    IReadOnlyDictionary<Guid, HaVmRecord> Vms,
    IReadOnlyDictionary<Guid, string> Owners,
    IReadOnlyDictionary<Guid, string> Assignments,
    IReadOnlyDictionary<Guid, IReadOnlySet<string>> Failures)
{
    public static ClusterView Parse(HaKeys keys, IReadOnlyList<EtcdKeyValue> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        string? master = null;
        var hosts = new Dictionary<string, HaHostRecord>(StringComparer.Ordinal);
        var vms = new Dictionary<Guid, HaVmRecord>();
        var owners = new Dictionary<Guid, string>();
        var assignments = new Dictionary<Guid, string>();
        var failures = new Dictionary<Guid, HashSet<string>>();
        foreach (var kv in values)
        {
            var rest = kv.Key[keys.Prefix.Length..];
            var parts = rest.Split('/');
            try
            {
                switch (parts)
                {
                    case ["master"]:
                        master = kv.Value;
                        break;
                    case ["hosts", var host]:
                        hosts[host] = JsonSerializer.Deserialize<HaHostRecord>(kv.Value, JsonDefaults.Options)!;
                        break;
                    case ["vms", var vm] when Guid.TryParse(vm, out var uuid):
                        vms[uuid] = JsonSerializer.Deserialize<HaVmRecord>(kv.Value, JsonDefaults.Options)!;
                        break;
                    case ["owners", var vm] when Guid.TryParse(vm, out var uuid):
                        owners[uuid] = kv.Value;
                        break;
                    case ["assign", var vm] when Guid.TryParse(vm, out var uuid):
                        assignments[uuid] = kv.Value;
                        break;
                    case ["failed", var vm, var host] when Guid.TryParse(vm, out var uuid):
                        if (!failures.TryGetValue(uuid, out var set))
                        {
                            failures[uuid] = set = new HashSet<string>(StringComparer.Ordinal);
                        }

                        set.Add(host);
                        break;
                }
            }
            catch (JsonException)
            {
                // A value this version cannot read is skipped, never fatal to the round.
            }
        }

        return new ClusterView(master, hosts, vms, owners, assignments, failures.ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Value));
    }
}
