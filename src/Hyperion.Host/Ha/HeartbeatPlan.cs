using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Host.Ha;

/// <summary>
/// What the agent tells its heartbeat process (<c>DATA/run/ha-heartbeat.json</c>): where to write, and which protected
/// VMs' pid files to check. The process exits when the file is gone (HA disabled).
/// </summary>
internal sealed record HeartbeatPlan(string ClusterId, string HostId, IReadOnlyList<string> Files, int IntervalMs, bool Isolated, IReadOnlyList<HeartbeatPlanVm> Vms)
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "run", "ha-heartbeat.json");

    public void Save(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(this, JsonDefaults.Options);
        if (File.Exists(path) && File.ReadAllText(path) == json)
        {
            return;
        }

        var temp = path + ".tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, path, overwrite: true);
    }

    public static HeartbeatPlan? TryLoad(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<HeartbeatPlan>(File.ReadAllText(PathIn(dataDirectory)), JsonDefaults.Options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>A protected VM the heartbeat process reports as running while the QEMU in its pid file lives.</summary>
internal sealed record HeartbeatPlanVm(Guid Uuid, string PidFile);
