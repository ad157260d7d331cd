using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Actions;

/// <summary>
/// A host the Migrate dialog offers as destination: its id and name (the address it was added by: two hosts on one
/// machine share it, so the label adds the port and id), its cluster and its state. A host that is not connected or
/// is in maintenance mode is listed, disabled, with the reason.
/// </summary>
public sealed record MigrateHostChoice(string Id, string Name, int Port, string? ClusterName, HostConnectionState Connection, bool InMaintenance)
{
    /// <summary>Why the host cannot take the VM now (shown after its name), or null when it can.</summary>
    public string? Unavailable => Connection != HostConnectionState.Connected
        ? ActionRules.Describe(Connection)
        : InMaintenance ? "maintenance" : null;

    public bool Usable => Unavailable is null;

    /// <summary>How the dialog names the host: <c>10.0.0.5:8443 · host-4 · cluster cl-1 (maintenance)</c>.</summary>
    public string Label =>
        $"{Name}:{Port} · {Id}{(ClusterName is null ? " · standalone" : $" · cluster {ClusterName}")}{(Unavailable is { } why ? $" ({why})" : "")}";
}
