using System.Globalization;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Host.Ha;

/// <summary>Entry of <c>hyperion host ha-heartbeat --data DIR</c> (started by the agent, never by hand).</summary>
public static class HeartbeatMain
{
    public static async Task<int> RunAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(dataDirectory);
        if (HeartbeatPlan.TryLoad(data) is null)
        {
            return 0;
        }

        // One heartbeat process per host: the lock (flock underneath .NET's FileShare.None) is held for its lifetime.
        FileStream exclusive;
        try
        {
            exclusive = new FileStream(Path.Combine(data, "run", "ha-heartbeat.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return 0;
        }

        await using var held = exclusive;
        var pidFile = HeartbeatProcess.PidFileIn(data);
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        try
        {
            await new HeartbeatWriter(data, new LinuxProcessTable(), TimeProvider.System).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
