namespace Hyperion.Center.Persistence.Entities;

/// <summary>A named set of privileges. Built-in roles are re-synced from the Domain definitions at every start.</summary>
public sealed class RoleRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public bool IsBuiltIn { get; set; }

    /// <summary>Privilege ids, distinct and sorted ordinally (a JSON array in SQLite, <c>text[]</c> in PostgreSQL).</summary>
    public List<string> Privileges { get; set; } = [];
}
