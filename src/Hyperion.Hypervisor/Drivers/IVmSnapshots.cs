namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// Internal (qcow2) snapshots of a running VM's disks — every disk at once, optionally with the guest's memory and
/// device state (stored in the first disk). Tags are the platform's own (one per snapshot), the same on every disk.
/// </summary>
public interface IVmSnapshots
{
    /// <summary>
    /// Takes snapshot <paramref name="tag"/> of <paramref name="devices"/> (e.g. <c>drive-disk0</c>); with
    /// <paramref name="memory"/> the guest's state goes into the first of them (QEMU's snapshot-save: the guest is
    /// stopped meanwhile and then left as it was), without it the disks alone, atomically and crash-consistent.
    /// </summary>
    Task SaveSnapshotAsync(string tag, IReadOnlyList<string> devices, bool memory, CancellationToken cancellationToken);

    /// <summary>Returns the running guest to memory snapshot <paramref name="tag"/> (disks and memory; QEMU's snapshot-load).</summary>
    Task LoadSnapshotAsync(string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken);

    /// <summary>Deletes snapshot <paramref name="tag"/> from each of <paramref name="devices"/> while the VM runs.</summary>
    Task DeleteSnapshotAsync(string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken);
}
