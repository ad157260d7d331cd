namespace Hyperion.Domain.Ha;

/// <summary>
/// A protected VM as the cluster keeps it (in etcd, without a lease: it outlives its host): where its folder is, what
/// placement needs, and the host that runs it or ran it last. It exists while the VM is meant to run.
/// </summary>
public sealed record HaVmRecord(
    Guid Uuid,
    string Name,
    string Datastore,
    string Folder,
    long MemoryMiB,
    HaRestartPriority Priority,
    string HostId);
