namespace Hyperion.Contracts.Migrations;

/// <summary>A prepared incoming migration: its id on the destination host and the URI the source sends to (<c>tcp:ADDRESS:PORT</c>).</summary>
public sealed record MigrationIncomingDto(string MigrationId, string Uri)
{
    /// <summary>Shared-nothing: where the source mirrors each disk (<c>nbd://ADDRESS:PORT/drive-diskN</c>), in order.</summary>
    public IReadOnlyList<string>? DiskTargets { get; init; }
}
