using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Host.Ha;

/// <summary>
/// A host's datastore heartbeat: a small file per host on each heartbeat datastore
/// (<c>DATASTORE/.hyperion-ha/{cluster}/{host}.json</c>), rewritten every heartbeat interval by the host's heartbeat
/// process with a new <see cref="Sequence"/> and the protected VMs whose QEMU runs there. Readers judge freshness by
/// seeing the sequence change (no clock shared between hosts is needed).
/// </summary>
internal sealed record DatastoreHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt, bool Isolated, IReadOnlyList<Guid> Running)
{
    public const string Folder = ".hyperion-ha";

    public static string PathFor(string datastorePath, string clusterId, string hostId) => Path.Combine(datastorePath, Folder, clusterId, hostId + ".json");

    /// <summary>Writes to a temporary file and renames it over the heartbeat, so a reader never sees half a file.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonDefaults.Options));
        File.Move(temp, path, overwrite: true);
    }

    public static DatastoreHeartbeat? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DatastoreHeartbeat>(File.ReadAllText(path), JsonDefaults.Options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
