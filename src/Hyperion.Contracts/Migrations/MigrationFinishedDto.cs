using Hyperion.Contracts.Vms;

namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal: the arrived VM, running, and how long the destination spent after its <c>cont</c> before answering
/// (registering the VM), so the Center can leave that out of the guest's measured downtime.
/// </summary>
public sealed record MigrationFinishedDto(VmDto Vm, long AfterContinueMs)
{
    /// <summary>When the guest started running here: QEMU's timestamp of its RESUME event (host wall clock), when seen.</summary>
    public DateTimeOffset? ResumedAt { get; init; }
}
