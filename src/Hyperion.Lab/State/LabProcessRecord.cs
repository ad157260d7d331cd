namespace Hyperion.Lab.State;

/// <summary>
/// A detached process the lab started: <see cref="Role"/> is <c>center</c> or <c>host-N</c>; <see cref="StartTime"/>
/// (clock ticks after boot, /proc/PID/stat field 22) tells it apart from a later process that reuses the PID.
/// </summary>
public sealed record LabProcessRecord(string Role, int Pid, ulong StartTime, string Log);
