namespace Hyperion.Contracts.Migrations;

/// <summary>Moves a VM's folder (its disks, configuration and serial log) to another datastore of the same host.
/// A running VM keeps running (block mirror, then a pivot); a powered-off one is copied.</summary>
public sealed record StorageMigrationRequest(string Datastore)
{
    /// <summary>Copy rate limit in MiB/s; 0 or absent: not throttled.</summary>
    public long BandwidthMiBps { get; init; }
}
