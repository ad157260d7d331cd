namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// A point-in-time copy of a running VM's disks while the guest goes on (a full clone of a powered-on VM): every disk
/// at one instant (one QEMU transaction of backup jobs), so the copy is crash-consistent across disks.
/// </summary>
public interface IVmDiskBackup
{
    /// <summary>
    /// Copies each disk <c>devices[i]</c> (e.g. <c>drive-disk0</c>) into the existing, empty qcow2 image
    /// <c>targets[i]</c> of the same virtual size, as the disks were when the call began; returns when every copy is
    /// complete and throws with QEMU's error if one failed (the targets are then incomplete: delete them).
    /// </summary>
    Task BackupDisksAsync(IReadOnlyList<string> devices, IReadOnlyList<string> targets, CancellationToken cancellationToken);
}
