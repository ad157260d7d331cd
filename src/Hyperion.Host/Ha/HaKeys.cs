namespace Hyperion.Host.Ha;

/// <summary>
/// The etcd key space of one HA cluster, under <c>/hyperion/ha/{cluster}/</c>:
/// <c>hosts/{host}</c> (bound to the host's lease: alive + free memory), <c>master</c> (the election, bound to the
/// master's lease), <c>vms/{uuid}</c> (no lease: a protected VM that should run, and where), <c>owners/{uuid}</c>
/// (bound to the lease of the host running it: nobody else may start it), <c>assign/{uuid}</c> (bound to the master's
/// lease: restart it on that host), <c>failed/{uuid}/{host}</c> (bound to that host's lease: it could not start it).
/// </summary>
internal sealed class HaKeys(string clusterId)
{
    public string Prefix { get; } = $"/hyperion/ha/{clusterId}/";

    public string Master => Prefix + "master";

    public string Host(string hostId) => $"{Prefix}hosts/{hostId}";

    public string Vm(Guid uuid) => $"{Prefix}vms/{uuid:D}";

    public string Owner(Guid uuid) => $"{Prefix}owners/{uuid:D}";

    public string Assignment(Guid uuid) => $"{Prefix}assign/{uuid:D}";

    public string Failure(Guid uuid, string hostId) => $"{Prefix}failed/{uuid:D}/{hostId}";
}
