namespace Hyperion.Contracts.Migrations;

/// <summary>A prepared incoming migration: its id on the destination host and the URI the source sends to (<c>tcp:ADDRESS:PORT</c>).</summary>
public sealed record MigrationIncomingDto(string MigrationId, string Uri)
{
    /// <summary>Shared-nothing: where the source mirrors each disk (<c>nbd://ADDRESS:PORT/drive-diskN</c>), in order.</summary>
    public IReadOnlyList<string>? DiskTargets { get; init; }

    /// <summary>
    /// Single-use secret for <c>POST /api/migrations/incoming/{id}/switchover</c>: whoever holds it (the source, told by
    /// the Center) may start the arrived guest here the moment the stream completes.
    /// </summary>
    public string? SwitchoverToken { get; init; }
}
