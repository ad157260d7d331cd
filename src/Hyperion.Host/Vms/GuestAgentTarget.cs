namespace Hyperion.Host.Vms;

/// <summary>A running VM whose guest agent is to be polled, through its current QEMU.</summary>
/// <param name="Last">What the last poll through this QEMU found; null: not polled yet.</param>
internal sealed record GuestAgentTarget(string Id, string Name, int Pid, string Socket, GuestAgentState? Last);
