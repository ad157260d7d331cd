namespace Hyperion.Contracts.Vms;

public sealed record VmNicDto(string Mac, string Network);
