namespace Hyperion.Contracts.Migrations;

/// <summary>The arriving VM's serial log length after an append (the next append's offset).</summary>
public sealed record MigrationSerialLogDto(long Length);
