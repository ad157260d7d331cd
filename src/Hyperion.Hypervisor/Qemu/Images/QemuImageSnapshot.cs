namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>An internal snapshot stored inside a qcow2 image.</summary>
/// <param name="Id">QEMU's numeric id as a string ("1", "2", ...); names are what callers should use.</param>
/// <param name="VmStateSizeBytes">Saved RAM/device state; 0 for a disk-only snapshot (e.g. from <c>qemu-img snapshot -c</c>).</param>
/// <param name="CreatedAt">When the snapshot was taken (host clock).</param>
/// <param name="VmClock">Guest run time at the snapshot.</param>
public sealed record QemuImageSnapshot(string Id, string Name, long VmStateSizeBytes, DateTimeOffset CreatedAt, TimeSpan VmClock);
