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

    /// <summary>Encrypt the stream: a directory with <c>ca-cert.pem</c>, <c>client-cert.pem</c> and <c>client-key.pem</c> (QEMU's tls-creds-x509); null: plain TCP.</summary>
    public string? TlsDirectory { get; init; }

    /// <summary>With TLS: the name the destination's certificate must carry.</summary>
    public string? TlsHostname { get; init; }
}

/// <summary>How an incoming live migration is received.</summary>
/// <param name="Postcopy">Allow post-copy (both ends must enable it before the stream starts).</param>
/// <param name="TlsDirectory">Accept only TLS from a client certified by the same CA: a directory with <c>ca-cert.pem</c>,
/// <c>server-cert.pem</c> and <c>server-key.pem</c>; null: plain TCP.</param>
public sealed record VmIncomingSettings(bool Postcopy, string? TlsDirectory = null);
