namespace Hyperion.Lab.Planning;

/// <summary>The layout of a lab directory; everything in it belongs to the lab and goes with <c>lab down</c>.</summary>
public static class LabPaths
{
    public const string StateFileName = "state.json";
    public const string EnvFileName = "lab.env";
    public const string SharedDatastoreName = "shared";

    public static string StateFile(string directory) => Path.Combine(directory, StateFileName);

    public static string EnvFile(string directory) => Path.Combine(directory, EnvFileName);

    public static string CenterData(string directory) => Path.Combine(directory, "center");

    public static string HostData(string directory, int index) => Path.Combine(directory, $"host-{index}");

    /// <summary>The datastore every host mounts, as an NFS export would be.</summary>
    public static string SharedDatastore(string directory) => Path.Combine(directory, SharedDatastoreName);

    public static string Logs(string directory) => Path.Combine(directory, "logs");

    public static string CenterLog(string directory) => Path.Combine(Logs(directory), "center.log");

    public static string HostLog(string directory, int index) => Path.Combine(Logs(directory), $"host-{index}.log");
}
