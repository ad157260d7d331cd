using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>An asynchronous QMP event (STOP, RESUME, SHUTDOWN, RESET, POWERDOWN, ...).</summary>
/// <param name="Name">The event name exactly as QEMU sends it (upper case).</param>
/// <param name="Data">The event's <c>data</c> object; an empty object when QEMU sent none.</param>
/// <param name="Timestamp">When QEMU emitted the event (QEMU's host clock, microsecond resolution).</param>
public sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp);
