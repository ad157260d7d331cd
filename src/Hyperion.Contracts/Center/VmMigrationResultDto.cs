namespace Hyperion.Contracts.Center;

/// <summary>
/// The result of a migration task, measured, not guessed. <see cref="Mode"/> is <c>live</c> (vMotion), <c>shared-nothing</c>
/// (vMotion with the disks copied to another datastore), <c>storage</c> (Storage vMotion) or <c>cold</c>.
/// For a live one: <see cref="QemuDowntimeMs"/> is QEMU's own measure (source paused → stream complete) and
/// <see cref="DowntimeMs"/> how long the guest was paused: when the source switched over directly, from QEMU's own
/// event stamps (source vCPUs stopped → destination vCPUs running; the hosts' clocks, NTP-close); otherwise QEMU's figure
/// plus the switch-over (stream complete seen by the source, or by the Center when it had to do it → destination
/// running; see <see cref="SwitchedOverBy"/>). <see cref="SwitchOverMs"/> is what the switch-over adds to QEMU's figure.
/// </summary>
public sealed record VmMigrationResultDto(CenterVmDto Vm, string Mode, string SourceHostId, string DestinationHostId)
{
    public long? DowntimeMs { get; init; }

    /// <summary>Whether the memory stream went over TLS (as the source QEMU reported).</summary>
    public bool Tls { get; init; }
    public long? QemuDowntimeMs { get; init; }
    public long? SwitchOverMs { get; init; }

    /// <summary>Who started the guest on the destination at switch-over: <c>source</c> (directly, the default) or <c>center</c> (when the source could not).</summary>
    public string? SwitchedOverBy { get; init; }

    /// <summary>Whether <see cref="DowntimeMs"/> comes from QEMU's vCPU stop/run event stamps (the guest's whole pause).</summary>
    public bool DowntimeFromVcpuEvents { get; init; }

    /// <summary>The destination was armed as the stream started and ran the guest on its own end of stream (not told after it).</summary>
    public bool SwitchoverArmed { get; init; }
    public long TotalTimeMs { get; init; }
    public long BytesTransferred { get; init; }
    public long Passes { get; init; }
    public int MaxThrottlePercent { get; init; }
    public bool Postcopy { get; init; }
}
