namespace Hyperion.Contracts.Vms;

/// <param name="Kind"><c>kernel</c>, <c>disk</c> or <c>cdrom</c>.</param>
public sealed record VmBootDto(string Kind, string? Image, string? Kernel, string? Initrd, string? KernelArgs, string? Iso);
