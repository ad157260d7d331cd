using Hyperion.Hypervisor.Qemu.GuestAgent;
using Hyperion.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Every <see cref="HostAgentOptions.GuestAgentInterval"/> pings the guest agent of every running VM with the guest
/// agent channel (all at once; each call bounded by the client's timeout), as vSphere polls VMware Tools: the first
/// answer through a QEMU (and the first after the agent stopped answering) also reads its version and host name. The
/// result is the VM's <see cref="VmEntry.GuestAgent"/>: its API status and HA VM monitoring's heartbeat.
/// </summary>
internal sealed partial class GuestAgentPoller(VmService vms, IGuestAgentClient client, HostAgentOptions options, TimeProvider time, ILogger<GuestAgentPoller> logger)
    : PeriodicBackgroundService(options.GuestAgentInterval, time, logger)
{
    /// <summary>One poll of every target; callable directly by tests.</summary>
    public Task PollAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(vms.GuestAgentTargets().Select(t => PollOneAsync(t, cancellationToken)));

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => PollAsync(cancellationToken);

    private async Task PollOneAsync(GuestAgentTarget target, CancellationToken cancellationToken)
    {
        var last = target.Last;
        GuestAgentState state;
        try
        {
            if (last is { Running: true, Version: not null })
            {
                await client.PingAsync(target.Socket, cancellationToken);
                state = last with { LastSeenAt = Time.GetUtcNow() };
            }
            else
            {
                var info = await client.ProbeAsync(target.Socket, cancellationToken);
                state = new GuestAgentState(target.Pid, true, info.Version, info.HostName, Time.GetUtcNow());
                LogAgentRunning(Logger, target.Id, info.Version);
            }
        }
        catch (GuestAgentException ex)
        {
            state = (last ?? new GuestAgentState(target.Pid, false, null, null, null)) with { Running = false };
            if (last is { Running: true })
            {
                LogAgentStopped(Logger, target.Id, ex.Message);
            }
        }

        vms.RecordGuestAgent(target.Id, state);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId}: guest agent running (version {Version})")]
    private static partial void LogAgentRunning(ILogger logger, string vmId, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: guest agent stopped answering: {Reason}")]
    private static partial void LogAgentStopped(ILogger logger, string vmId, string reason);
}
