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

    /// <summary>The parent of every etcd member's data directory (mode 0700, as etcd wants its data).</summary>
    public static string Etcd(string directory) => Path.Combine(directory, "etcd");

    /// <summary>An etcd member's data directory: <c>etcd/host-N</c> or <c>etcd/witness</c>.</summary>
    public static string EtcdData(string directory, string member) => Path.Combine(Etcd(directory), member);

    public static string EtcdLog(string directory, string member) => Path.Combine(Logs(directory), $"etcd-{member}.log");

    /// <summary>The role of an etcd member's process in the state file: <c>etcd-host-N</c>, <c>etcd-witness</c>.</summary>
    public static string EtcdRole(string member) => $"etcd-{member}";
}
