namespace Hyperion.Contracts.Migrations;

/// <summary>Moves a VM's folder (its disks, configuration and serial log) to another datastore of the same host.
/// A running VM keeps running (block mirror, then a pivot); a powered-off one is copied.</summary>
public sealed record StorageMigrationRequest(string Datastore)
{
    /// <summary>Copy rate limit in MiB/s; 0 or absent: not throttled.</summary>
    public long BandwidthMiBps { get; init; }

    /// <summary>
    /// Shared-nothing move of a powered-off VM, source side: write each disk into these NBD exports (another host's
    /// empty copies, in the configuration's order) instead of to a datastore of this host; <see cref="Datastore"/> only
    /// names the target in messages. The VM stays registered here and is held (it cannot be powered on) at status
    /// <c>copied</c> until it is deleted here (the other host took it) or the storage migration is cancelled (released).
    /// </summary>
    public IReadOnlyList<string>? DiskTargets { get; init; }

    /// <summary>With <see cref="DiskTargets"/>: write them over TLS with these client credentials (issued by the Center,
    /// the same kind a live migration's source gets); null: in the clear.</summary>
    public MigrationTlsDto? Tls { get; init; }
}
