namespace Hyperion.Contracts.Center;

/// <summary>
/// The result of a migration task, measured, not guessed. <see cref="Mode"/> is <c>live</c> (vMotion), <c>shared-nothing</c>
/// (vMotion with the disks copied to another datastore), <c>storage</c> (Storage vMotion) or <c>cold</c>.
/// For a live one: <see cref="QemuDowntimeMs"/> is QEMU's own measure (source paused → stream complete),
/// <see cref="SwitchOverMs"/> the switch-over's (stream complete seen by the source, or by the Center when it had to do
/// it → destination running; see <see cref="SwitchedOverBy"/>), and <see cref="DowntimeMs"/>
/// their sum: how long the guest was paused, as near as can be measured without a shared clock.
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
    public long TotalTimeMs { get; init; }
    public long BytesTransferred { get; init; }
    public long Passes { get; init; }
    public int MaxThrottlePercent { get; init; }
    public bool Postcopy { get; init; }
}
