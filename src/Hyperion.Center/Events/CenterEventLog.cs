using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;

namespace Hyperion.Center.Events;

/// <summary>
/// Writes Center events. <see cref="Add"/> only stages the record in the caller's context, so the event commits (or
/// rolls back) with the change it describes: an event is never recorded for something that did not happen.
/// </summary>
public static class CenterEventLog
{
    public static EventRecord Add(
        CenterDbContext db,
        TimeProvider time,
        string type,
        string message,
        InventoryId? objectId = null,
        string? objectName = null,
        string? userName = null,
        TaskId? taskId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(type);
        var record = new EventRecord
        {
            Time = time.GetUtcNow(),
            Type = type,
            Message = message,
            ObjectId = objectId,
            ObjectName = objectName,
            UserName = userName,
            TaskId = taskId,
        };
        db.Events.Add(record);
        return record;
    }
}
