namespace Hyperion.Domain.Vms;

/// <summary>How the VM boots. For <see cref="BootKind.Kernel"/>, <see cref="Image"/> names a built-in image (<c>tiny</c>) or is null when kernel/initrd paths are given.</summary>
public sealed record BootSpec(BootKind Kind, string? Image = null, string? Kernel = null, string? Initrd = null, string? KernelArgs = null, string? Iso = null);
