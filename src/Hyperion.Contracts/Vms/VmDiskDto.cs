namespace Hyperion.Contracts.Vms;

/// <param name="Base">A linked clone's disk: the template disk it is an overlay of (relative to the VM folder); else null.</param>
public sealed record VmDiskDto(string Path, long SizeBytes, string Format, string? Base = null);
