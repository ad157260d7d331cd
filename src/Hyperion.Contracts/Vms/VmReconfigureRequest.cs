namespace Hyperion.Contracts.Vms;

/// <summary><c>PATCH /api/vms/{id}</c>: only the fields given change; the VM must be powered off.</summary>
public sealed record VmReconfigureRequest
{
    public int? Cpus { get; init; }
    public long? MemoryMiB { get; init; }
    public string? KernelArgs { get; init; }
    public IReadOnlyList<VmDiskRequest>? AddDisks { get; init; }
    public IReadOnlyList<VmNicRequest>? AddNics { get; init; }

    /// <summary>Adds or removes the QEMU guest agent channel (guest hardware: the VM must be powered off).</summary>
    public bool? GuestAgent { get; init; }

    /// <summary>Detaches and deletes the cloud-init seed (guest customization) once the guest has used it.</summary>
    public bool? RemoveCustomization { get; init; }
}
