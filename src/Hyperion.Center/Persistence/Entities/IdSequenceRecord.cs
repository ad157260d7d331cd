namespace Hyperion.Center.Persistence.Entities;

/// <summary>A named counter; <see cref="IdSequenceRecord.Object"/> numbers every inventory object and task.</summary>
public sealed class IdSequenceRecord
{
    /// <summary>The one sequence behind inventory and task ids, so a number names one object ever.</summary>
    public const string Object = "object";

    public required string Name { get; set; }

    /// <summary>The number the next allocation returns.</summary>
    public long NextValue { get; set; }
}
