namespace Hyperion.Contracts.Center;

/// <summary>
/// Admission control of an HA cluster (memory, vSphere's "cluster resource percentage" computed from N host failures):
/// the capacity kept free so the protected VMs of the N largest hosts can be restarted on the rest.
/// </summary>
/// <param name="HostFailuresTolerated">N.</param>
/// <param name="TotalMemoryMiB">Memory of the hosts that count (connected, not in maintenance).</param>
/// <param name="ReservedMemoryMiB">Failover capacity: the memory of the N largest of them.</param>
/// <param name="ProtectedMemoryMiB">Memory of the powered-on protected VMs.</param>
/// <param name="AvailableMemoryMiB">What protected VMs may still be given: total − reserved − protected (never below 0).</param>
public sealed record HaAdmissionDto(
    int HostFailuresTolerated,
    long TotalMemoryMiB,
    long ReservedMemoryMiB,
    long ProtectedMemoryMiB,
    long AvailableMemoryMiB);
