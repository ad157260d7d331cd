using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>Something that happened, kept for audit and for filtering by object, type and time. Ids only grow.</summary>
public sealed class EventRecord
{
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    /// <summary>Dotted type, as the host agent's events: <c>vm.created</c>, <c>host.not-responding</c>, <c>permission.changed</c>.</summary>
    public required string Type { get; set; }

    public InventoryId? ObjectId { get; set; }

    /// <summary>The object's name at the time, kept for display after it is renamed or deleted.</summary>
    public string? ObjectName { get; set; }

    /// <summary>The user whose action caused it; null for what hosts report.</summary>
    public string? UserName { get; set; }

    public TaskId? TaskId { get; set; }

    public required string Message { get; set; }
}
