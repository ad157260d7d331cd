namespace Hyperion.Contracts.Migrations;

/// <summary>A prepared incoming migration: its id on the destination host and the URI the source sends to (<c>tcp:ADDRESS:PORT</c>).</summary>
public sealed record MigrationIncomingDto(string MigrationId, string Uri);
