namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// The guest's vCPUs stopped at <paramref name="At"/> (QEMU's own timestamp of its STOP event, host wall clock,
/// microseconds). <paramref name="Plain"/>: no other cause was reported before it (no guest shutdown, I/O error, panic,
/// watchdog or suspend) — during an outgoing pre-copy migration, that is the source stopping for the final pass.
/// </summary>
public sealed record VcpuStop(DateTimeOffset At, bool Plain);
