namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// External overlays on a running VM's disks: the VM switches, at one instant for all disks, to new empty qcow2
/// images whose backing files are the images it wrote until then — those stop changing and can be read by other
/// processes (a full copy with <c>qemu-img convert</c>, or the base of linked clones). A temporary overlay is merged
/// back afterwards (an active commit), and the VM writes to its original images again.
/// </summary>
public interface IVmDiskOverlays
{
    /// <summary>
    /// Switches each disk <c>devices[i]</c> (e.g. <c>drive-disk0</c>) to the existing, empty qcow2 image
    /// <c>overlays[i]</c> (created with the current image as its backing file) in one transaction: all disks or none.
    /// Returns the QEMU node names of the images that became backing files (what <see cref="CommitOverlaysAsync"/>
    /// merges into).
    /// </summary>
    Task<IReadOnlyList<string>> AddOverlaysAsync(IReadOnlyList<string> devices, IReadOnlyList<string> overlays, CancellationToken cancellationToken);

    /// <summary>
    /// Merges each disk's active overlay into the node <c>baseNodes[i]</c> while the guest runs (active commit) and
    /// pivots the disk back onto it; the overlay files are unused afterwards. Throws with QEMU's error if a commit failed
    /// (that disk then still runs on its overlay).
    /// </summary>
    Task CommitOverlaysAsync(IReadOnlyList<string> devices, IReadOnlyList<string> baseNodes, CancellationToken cancellationToken);

    /// <summary>The image file each disk <c>devices[i]</c> writes to now (its active layer), as QEMU opened it.</summary>
    Task<IReadOnlyList<string>> ActiveImagesAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken);
}
