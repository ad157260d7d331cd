namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// The destination of a shared-nothing migration: its paused incoming QEMU serves its (new, empty) disks over NBD so
/// the source can mirror into them while the memory follows; the export stops before the guest runs.
/// </summary>
public interface IVmDiskExport
{
    /// <summary>Starts QEMU's NBD server on <paramref name="address"/>:<paramref name="port"/> and exports each of
    /// <paramref name="devices"/> (e.g. <c>drive-disk0</c>) writable under its own name.</summary>
    /// <param name="tls">Require TLS with the credentials the incoming migration was given (clients must present a certificate of the same CA).</param>
    Task StartDiskExportAsync(string address, int port, IReadOnlyList<string> devices, bool tls, CancellationToken cancellationToken);

    /// <summary>Stops the NBD server (its exports go with it).</summary>
    Task StopDiskExportAsync(CancellationToken cancellationToken);
}
