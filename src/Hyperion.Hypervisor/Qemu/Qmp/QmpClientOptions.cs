using Microsoft.Extensions.Logging;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>Tuning for <see cref="QmpClient"/>.</summary>
public sealed class QmpClientOptions
{
    /// <summary>Timeout for a command when the caller passes none. Default: 30 seconds.</summary>
    public TimeSpan DefaultCommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between connection attempts while QEMU has not created its socket yet. Default: 50 ms.</summary>
    public TimeSpan ConnectRetryInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest line accepted from QEMU, guarding memory against a runaway peer. Default: 64 MiB (query-qmp-schema is ~200 KiB).</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Clock for timeouts and retry pauses. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where protocol anomalies and disconnects are logged. Default: none.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        if (DefaultCommandTimeout <= TimeSpan.Zero && DefaultCommandTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultCommandTimeout), DefaultCommandTimeout, "Must be positive or infinite.");
        }

        if (ConnectRetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectRetryInterval), ConnectRetryInterval, "Must be positive.");
        }

        if (MaxLineBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLineBytes), MaxLineBytes, "Must be at least 1024.");
        }
    }
}
