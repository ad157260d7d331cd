using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Tasks;

/// <summary>
/// What a new task is: its operation (<c>VirtualMachine.powerOn</c>), target, initiator, and whether it may be
/// cancelled once running (any task may be cancelled while it is still queued). Tasks on the same
/// <see cref="TargetId"/> run one after another, as vSphere serializes operations on one entity.
/// </summary>
public sealed record TaskSpec(string DescriptionId, InventoryId? TargetId, string? TargetName, string Initiator, bool Cancellable = false)
{
    /// <summary>
    /// What the task must hold before it runs besides its target's turn (a migration's slots on its hosts); the task
    /// stays queued, and cancellable, until it is granted. Disposed when the task ends.
    /// </summary>
    public Func<CancellationToken, Task<IDisposable>>? Admission { get; init; }
}
