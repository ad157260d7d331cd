namespace Hyperion.Contracts.Ha;

/// <summary>A protected VM of the HA cluster.</summary>
/// <param name="Uuid">The VM's UUID (stable across hosts).</param>
/// <param name="Name">Its name.</param>
/// <param name="HostId">The host that runs it (or ran it last).</param>
/// <param name="OwnerHostId">The host holding its lease now; null while nobody does (its host failed).</param>
/// <param name="RestartPriority">One of <see cref="HaRestartPriorities"/>.</param>
/// <param name="Protection">One of <see cref="HaVmProtectionStates"/>.</param>
/// <param name="MemoryMiB">Memory placement reserves for it.</param>
/// <param name="Message">Why it is in that state (placement failures, the chosen host).</param>
public sealed record HaVmDto(
    string Uuid,
    string Name,
    string HostId,
    string? OwnerHostId,
    string RestartPriority,
    string Protection,
    long MemoryMiB,
    string? Message);
