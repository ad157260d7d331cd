namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal, from the Center to the destination host: start a paused QEMU for the VM whose folder is
/// <see cref="Folder"/> in <see cref="Datastore"/> (a datastore both hosts mount) and listen for its migration stream.
/// </summary>
public sealed record MigrationIncomingRequest(string Datastore, string Folder, string Uuid)
{
    /// <summary>The CPU model the VM runs with on the source: the destination starts it with the same one (it must be able to run it).</summary>
    public string? CpuModel { get; init; }

    /// <summary>Accept the stream only over TLS, with this server certificate (null: plain TCP).</summary>
    public MigrationTlsDto? Tls { get; init; }

    /// <summary>Enable post-copy on the destination too (both ends must agree before the stream starts).</summary>
    public bool Postcopy { get; init; }

    /// <summary>
    /// Shared-nothing migration: the VM's configuration (<c>vm.json</c>, from the source's
    /// <c>GET /api/vms/{id}/migration/source</c>). The destination creates <see cref="Folder"/> in <see cref="Datastore"/>
    /// (which must not exist yet) with this configuration and empty disks of <see cref="DiskSizes"/>, and exports them
    /// over NBD for the source to mirror into.
    /// </summary>
    public string? Config { get; init; }

    /// <summary>Shared-nothing: each disk's virtual size in bytes, in the configuration's order.</summary>
    public IReadOnlyList<long>? DiskSizes { get; init; }

    /// <summary>Shared-nothing: bytes the copies will take at most (the source disks' allocation), checked against free space.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>
    /// Shared-nothing move of a powered-off VM: only the disks arrive (exported over NBD for the source to write into);
    /// no memory is needed and no stream comes; the finish registers the VM here powered off.
    /// </summary>
    public bool PoweredOff { get; init; }
}
