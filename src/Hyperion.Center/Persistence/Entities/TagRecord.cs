namespace Hyperion.Center.Persistence.Entities;

/// <summary>A tag, in a category (vSphere tags always have one); name unique within its category.</summary>
public sealed class TagRecord
{
    public long Id { get; set; }

    public required string Category { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }
}
