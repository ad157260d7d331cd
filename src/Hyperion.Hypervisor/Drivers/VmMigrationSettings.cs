namespace Hyperion.Hypervisor.Drivers;

/// <summary>How an outgoing live migration runs.</summary>
public sealed record VmMigrationSettings
{
    /// <summary>Longest switch-over pause QEMU may plan for (its downtime-limit). Default 300 ms, QEMU's own.</summary>
    public TimeSpan DowntimeLimit { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Bytes per second; null: not throttled.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    /// <summary>Allow <see cref="IVmInstance.StartPostcopyAsync"/> (both ends must enable it before the stream starts).</summary>
    public bool Postcopy { get; init; }

    /// <summary>Stop at <c>pre-switchover</c> (guest paused, disks still active) until <see cref="IVmStorageMotion.ContinueMigrationAsync"/>:
    /// the moment a shared-nothing migration ends its disk mirrors consistently.</summary>
    public bool PauseBeforeSwitchover { get; init; }
}
