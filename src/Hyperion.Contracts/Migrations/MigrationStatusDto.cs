namespace Hyperion.Contracts.Migrations;

/// <summary>
/// An outgoing migration as the source host sees it (QEMU's query-migrate, plus the agent's view). <see cref="Status"/>:
/// <c>setup</c>, <c>active</c>, <c>postcopy-active</c>, <c>device</c>, <c>completed</c> (the VM is paused here and
/// whole on the destination), <c>failed</c> or <c>cancelled</c> (the VM runs here); then <c>switched</c> once the
/// source has let go, or <c>resumed</c> when the Center took it back. <see cref="Version"/> grows with every change
/// (long polling: <c>?after=VERSION</c>). A shared-nothing migration starts with <c>mirroring</c> (disks copied, see
/// <see cref="DiskCopiedBytes"/>).
/// </summary>
public sealed record MigrationStatusDto(string Status, long Version)
{
    public long TotalBytes { get; init; }
    public long TransferredBytes { get; init; }
    public long RemainingBytes { get; init; }
    public long DirtyRateBytesPerSecond { get; init; }
    public long Passes { get; init; }
    public long? ExpectedDowntimeMs { get; init; }
    public long? DowntimeMs { get; init; }
    public long? TotalTimeMs { get; init; }
    public long? SetupTimeMs { get; init; }
    public int ThrottlePercent { get; init; }
    public bool PostcopyStarted { get; init; }
    public string? Error { get; init; }

    /// <summary>Shared-nothing: disk bytes mirrored to the destination so far, of <see cref="DiskTotalBytes"/>.</summary>
    public long DiskCopiedBytes { get; init; }

    public long DiskTotalBytes { get; init; }

    /// <summary>Whether the source QEMU sends the stream over TLS (read back from QEMU's parameters).</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// <c>completed</c> with a direct switch-over: the VM as the destination registered it, running there (null: the
    /// destination was not started by the source — see <see cref="SwitchoverError"/>).
    /// </summary>
    public Vms.VmDto? Arrived { get; init; }

    /// <summary>Direct switch-over: ms from the source seeing the stream complete to the destination's <c>cont</c>.</summary>
    public long? SwitchOverMs { get; init; }

    /// <summary>
    /// Direct switch-over: the guest's whole pause in ms — from QEMU's stamp of the source stopping the vCPUs for the final
    /// pass to its stamp of the destination running them (null when either was not seen).
    /// </summary>
    public long? GuestPauseMs { get; init; }

    /// <summary>
    /// The source armed the destination as its stream started (it runs the guest on its own end of stream, no round
    /// trip after it); false: the destination was told only once the stream had completed.
    /// </summary>
    public bool SwitchoverArmed { get; init; }

    /// <summary>Direct switch-over: why the source could not start the guest on the destination (the Center then tries).</summary>
    public string? SwitchoverError { get; init; }

    /// <summary>
    /// The failed direct switch-over cannot have run the guest on the destination: no connection to it was ever made, or
    /// the destination's side closed the request before the source stopped the guest for the final pass.
    /// </summary>
    public bool SwitchoverNotDelivered { get; init; }
}
