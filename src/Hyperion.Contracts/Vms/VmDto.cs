namespace Hyperion.Contracts.Vms;

/// <summary>A VM as the host sees it: configuration plus runtime truth from QEMU.</summary>
public sealed record VmDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Uuid { get; init; }

    /// <summary><c>poweredOff</c>, <c>poweredOn</c> or <c>suspended</c>.</summary>
    public required string PowerState { get; init; }
    public required int Cpus { get; init; }
    public required long MemoryMiB { get; init; }
    public required IReadOnlyList<VmDiskDto> Disks { get; init; }
    public required IReadOnlyList<VmNicDto> Nics { get; init; }
    public required VmBootDto Boot { get; init; }
    public required string Datastore { get; init; }
    public required string Folder { get; init; }

    /// <summary>The accelerator the running QEMU uses; null while powered off.</summary>
    public string? Acceleration { get; init; }

    /// <summary>While it runs: the QEMU CPU model the guest sees (the cluster's CPU baseline, or the host's default <c>host</c>/<c>max</c>).</summary>
    public string? CpuModel { get; init; }
    public int? Pid { get; init; }
    public DateTimeOffset? PoweredOnAt { get; init; }

    /// <summary>A template: cloned or deployed from, never powered on.</summary>
    public bool Template { get; init; }

    /// <summary>For a linked clone: the UUID of the template or VM (its parent) whose images its disks are overlays of.</summary>
    public string? LinkedTemplateUuid { get; init; }

    /// <summary>True when the VM runs on delta disks over images of its own that linked clones were made from: those
    /// images are not deleted or moved while a clone depends on them.</summary>
    public bool LinkedCloneParent { get; init; }

    /// <summary>Whether a cloud-init seed (guest customization) is attached.</summary>
    public bool Customized { get; init; }

    /// <summary>Whether the VM has the QEMU guest agent channel (a virtio-serial port for qemu-ga).</summary>
    public bool GuestAgent { get; init; }

    /// <summary>While it runs with <see cref="GuestAgent"/> on: whether the agent in the guest answers, as vSphere shows VMware Tools' status.</summary>
    public VmGuestAgentDto? GuestAgentStatus { get; init; }

    /// <summary>HA restart priority (<c>high</c>, <c>medium</c>, <c>low</c>, <c>disabled</c>); applies when the host's cluster has HA on.</summary>
    public string RestartPriority { get; init; } = "medium";

    /// <summary>HA VM monitoring for this VM: restarted when its QEMU dies or its guest heartbeat stops.</summary>
    public bool VmMonitoring { get; init; } = true;

    /// <summary>VM monitoring's failure interval: the guest is reset after this many seconds without a guest heartbeat.</summary>
    public int VmMonitoringTimeoutSeconds { get; init; } = 30;
}
