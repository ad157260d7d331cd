namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>Options of <see cref="GuestAgentClient"/>.</summary>
public sealed record GuestAgentClientOptions
{
    /// <summary>Time allowed for each step (connect, and each command's answer). Default 2 s: qemu-ga answers in milliseconds, a TCG guest under load in well under a second.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest answer accepted, in bytes. Default 64 KiB.</summary>
    public int MaxReplyBytes { get; init; } = 64 * 1024;

    /// <summary>The clock timeouts run on. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "must be positive");
        }

        if (MaxReplyBytes < 256)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReplyBytes), MaxReplyBytes, "must be at least 256");
        }
    }
}
