namespace Hyperion.Domain.Vms;

public enum BootKind
{
    /// <summary>Direct kernel boot (the tiny guest, or any kernel/initrd pair).</summary>
    Kernel,

    /// <summary>Boot from the first disk through the firmware.</summary>
    Disk,

    /// <summary>Boot from an ISO image attached as a CD-ROM.</summary>
    Cdrom,
}
