namespace Hyperion.Domain.Ha;

/// <summary>
/// HA admission control by memory, vSphere's "cluster resource percentage" derived from N host failures: the memory
/// of the N largest hosts that count (connected, not in maintenance) is kept free, so the protected VMs of any N
/// failed hosts can be restarted on the rest. A protected VM may be powered on only while it fits in what is left
/// after that reserve and the protected VMs already running. With N at least the number of hosts that count, no
/// failover capacity can exist and nothing protected is admitted.
/// </summary>
public sealed class HaAdmissionControl
{
    /// <param name="hostMemoryMiB">The memory of each host that counts.</param>
    /// <param name="hostFailuresTolerated">N, at least 0.</param>
    /// <param name="protectedMemoryMiB">The memory of the powered-on protected VMs of the cluster.</param>
    public HaAdmissionControl(IEnumerable<long> hostMemoryMiB, int hostFailuresTolerated, long protectedMemoryMiB)
    {
        ArgumentNullException.ThrowIfNull(hostMemoryMiB);
        ArgumentOutOfRangeException.ThrowIfNegative(hostFailuresTolerated);
        ArgumentOutOfRangeException.ThrowIfNegative(protectedMemoryMiB);
        var hosts = hostMemoryMiB.Select(m => Math.Max(0, m)).OrderDescending().ToList();
        HostCount = hosts.Count;
        HostFailuresTolerated = hostFailuresTolerated;
        TotalMemoryMiB = hosts.Sum();
        ReservedMemoryMiB = hosts.Take(hostFailuresTolerated).Sum();
        ProtectedMemoryMiB = protectedMemoryMiB;
    }

    /// <summary>How many hosts count.</summary>
    public int HostCount { get; }

    public int HostFailuresTolerated { get; }

    public long TotalMemoryMiB { get; }

    /// <summary>The memory of the N largest hosts that count (all of them when N ≥ their number).</summary>
    public long ReservedMemoryMiB { get; }

    public long ProtectedMemoryMiB { get; }

    /// <summary>Whether N host failures can be tolerated at all: fewer failures than hosts that count.</summary>
    public bool HasFailoverCapacity => HostFailuresTolerated < HostCount;

    /// <summary>total − reserved − protected, never below 0; 0 without failover capacity.</summary>
    public long AvailableMemoryMiB => HasFailoverCapacity ? Math.Max(0, TotalMemoryMiB - ReservedMemoryMiB - ProtectedMemoryMiB) : 0;

    /// <summary>Whether one more protected VM of <paramref name="vmMemoryMiB"/> may be powered on.</summary>
    public bool CanPowerOn(long vmMemoryMiB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vmMemoryMiB);
        return HasFailoverCapacity && vmMemoryMiB <= AvailableMemoryMiB;
    }

    /// <summary>Why <see cref="CanPowerOn"/> refuses, for the problem's message; null when it admits.</summary>
    public string? RefusalReason(long vmMemoryMiB)
    {
        if (CanPowerOn(vmMemoryMiB))
        {
            return null;
        }

        return HasFailoverCapacity
            ? $"needs {vmMemoryMiB} MiB, {AvailableMemoryMiB} MiB available for protected VMs ({TotalMemoryMiB} MiB total, {ReservedMemoryMiB} MiB reserved for {HostFailuresTolerated} host failure(s), {ProtectedMemoryMiB} MiB used by protected VMs)"
            : $"needs {vmMemoryMiB} MiB, 0 MiB available: {HostFailuresTolerated} host failure(s) tolerated with only {HostCount} host(s) that count (connected, not in maintenance)";
    }
}
