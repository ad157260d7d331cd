namespace Hyperion.Contracts.Vms;

public sealed record VmDiskDto(string Path, long SizeBytes, string Format);
