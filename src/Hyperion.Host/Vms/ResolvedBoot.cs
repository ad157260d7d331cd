using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>How a new VM boots, and the host image to import as its boot disk, if any.</summary>
internal sealed record ResolvedBoot(BootSpec Spec, string? ImportDisk);
