namespace Hyperion.Contracts.Migrations;

/// <summary>
/// A storage migration as the host runs it. <see cref="Status"/>: <c>copying</c> (disks being mirrored; the VM runs
/// from its old files), <c>switching</c> (all copies in sync: pivoting), <c>completed</c> (the VM's files are on
/// <see cref="Datastore"/> and the old folder is gone), <c>failed</c> or <c>cancelled</c> (nothing changed: the VM
/// still uses its old files; the partial copy is deleted). <see cref="Version"/> grows with every change (long polling).
/// </summary>
public sealed record StorageMigrationStatusDto(string Status, long Version)
{
    public string? Datastore { get; init; }
    public string? Folder { get; init; }
    public long CopiedBytes { get; init; }
    public long TotalBytes { get; init; }

    /// <summary>How long the guest was paused for the switch (the serial log moving with it), in ms.</summary>
    public long? StunMs { get; init; }
    public long? TotalTimeMs { get; init; }
    public string? Error { get; init; }
}
