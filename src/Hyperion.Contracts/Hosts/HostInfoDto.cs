using Hyperion.Contracts.Datastores;

namespace Hyperion.Contracts.Hosts;

/// <summary><c>GET /api/host</c>: what this hypervisor host is and what it runs.</summary>
public sealed record HostInfoDto
{
    public required string Name { get; init; }
    public required string AgentVersion { get; init; }
    public required string CpuModel { get; init; }
    public required IReadOnlyList<string> CpuFlags { get; init; }
    public required int Cores { get; init; }
    public required long MemoryMiB { get; init; }
    public required long MemoryAvailableMiB { get; init; }
    public required AccelerationDto Acceleration { get; init; }

    /// <summary><c>qemu</c>, or <c>simulated</c> when the host runs in-memory stand-ins for scale tests (no real VMs).</summary>
    public required string Driver { get; init; }
    public required string QemuVersion { get; init; }
    public required string CertificateFingerprint { get; init; }
    public required IReadOnlyList<DatastoreDto> Datastores { get; init; }

    /// <summary>Networks a VM's NIC can join on this host: <c>user</c> (NAT) and each Linux bridge. Null from agents that predate it.</summary>
    public IReadOnlyList<string>? Networks { get; init; }
    public required int VmCount { get; init; }
    public required IReadOnlyList<string> RunningVms { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
}
