namespace Hyperion.Web.Actions;

/// <summary>
/// A host the Clone dialog offers for the new VM: the host as the Migrate dialog describes it, whether it is the
/// source's own host (the default, where the copy is made), and whether the user may create VMs from existing ones
/// there (<see cref="Domain.Authorization.Privileges.VmCreateFromExisting"/>, which the Center checks on it).
/// </summary>
public sealed record CloneHostChoice(MigrateHostChoice Host, bool IsSource, bool MayCreate)
{
    public string Id => Host.Id;

    /// <summary>
    /// Why the clone cannot go there now, or null when it can. The source's own host may be in maintenance mode: the
    /// Center checks only another host for that (the copy is made on the source's host either way).
    /// </summary>
    public string? Unavailable => !MayCreate
        ? $"you lack {Domain.Authorization.Privileges.VmCreateFromExisting} there"
        : Host.Connection != Domain.Inventory.HostConnectionState.Connected ? ActionRules.Describe(Host.Connection)
        : Host.InMaintenance && !IsSource ? "maintenance"
        : null;

    public bool Usable => Unavailable is null;

    /// <summary><c>10.0.0.5:8443 · host-4 · cluster cl-1 (same host)</c>, with why it cannot be chosen when it cannot.</summary>
    public string Label
    {
        get
        {
            var label = $"{Host.Name}:{Host.Port} · {Host.Id}{(Host.ClusterName is null ? " · standalone" : $" · cluster {Host.ClusterName}")}";
            var notes = new List<string>();
            if (IsSource)
            {
                notes.Add("same host");
            }

            if (Unavailable is { } why)
            {
                notes.Add(why);
            }

            return notes.Count == 0 ? label : $"{label} ({string.Join(", ", notes)})";
        }
    }
}
