using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A long operation: persisted from queueing to its end so the API, UI and CLI can follow it.</summary>
public sealed class TaskRecord
{
    public TaskId Id { get; set; }

    /// <summary>The operation, vSphere's descriptionId: <c>VirtualMachine.powerOn</c>, <c>Datacenter.create</c>.</summary>
    public required string DescriptionId { get; set; }

    /// <summary>The object operated on; null for operations on the Center itself.</summary>
    public InventoryId? TargetId { get; set; }

    /// <summary>The target's name when queued, kept for display after it is renamed or deleted.</summary>
    public string? TargetName { get; set; }

    /// <summary>The user who started it (or <c>system</c> for controllers).</summary>
    public required string Initiator { get; set; }

    public TaskState State { get; set; }

    /// <summary>0–100.</summary>
    public int Progress { get; set; }

    public bool Cancellable { get; set; }

    public bool CancelRequested { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The result as JSON (camelCase, as the API returns it) on success.</summary>
    public string? ResultJson { get; set; }

    /// <summary>A stable error code (<c>vm.invalid-state</c>) on error.</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>What the running task is doing now, in words (see <c>TaskDto.ProgressDetail</c>).</summary>
    public string? ProgressDetail { get; set; }
}
