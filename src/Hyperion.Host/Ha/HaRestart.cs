using Hyperion.Domain.Ha;

namespace Hyperion.Host.Ha;

/// <summary>
/// A restart this host is to carry out: an assignment of the master (<paramref name="Assigned"/>) or its own VM
/// monitoring / return from isolation. <paramref name="Id"/> is the VM's id here when it is already registered.
/// </summary>
internal sealed record HaRestart(string? Id, HaVmRecord Record, string Why, string EventType, bool Assigned);
