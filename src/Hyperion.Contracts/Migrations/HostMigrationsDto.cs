namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal: the live migrations a host has under way — outgoing ones still holding their VM (running it or
/// paused at <c>completed</c>), and incoming ones not yet finished or aborted. The Center's reconciler uses it to
/// settle migrations whose task died with a Center (or an agent) so no VM stays paused or arrives twice.
/// </summary>
public sealed record HostMigrationsDto(IReadOnlyList<OutgoingMigrationSummaryDto> Outgoing, IReadOnlyList<IncomingMigrationSummaryDto> Incoming);

/// <param name="VmId">The VM's id on this (source) host.</param>
/// <param name="Status">As <see cref="MigrationStatusDto.Status"/>.</param>
public sealed record OutgoingMigrationSummaryDto(string VmId, string Uuid, string Status);

/// <param name="MigrationId">For finish/abort.</param>
public sealed record IncomingMigrationSummaryDto(string MigrationId, string Uuid);
