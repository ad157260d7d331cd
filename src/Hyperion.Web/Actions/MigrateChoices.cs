using Hyperion.Contracts.Center;

namespace Hyperion.Web.Actions;

/// <summary>
/// What the Migrate dialog offers for one VM: the other hosts of its datacenter the user may see (with their state),
/// the datacenter's datastores (each with the hosts that mount it), and where the VM is now.
/// </summary>
public sealed record MigrateChoices(
    string VmId,
    string VmName,
    string PowerState,
    string? CurrentHostId,
    string? CurrentHostName,
    CenterDatastoreDto? CurrentDatastore,
    string DatacenterName,
    IReadOnlyList<MigrateHostChoice> Hosts,
    IReadOnlyList<CenterDatastoreDto> Datastores)
{
    /// <summary>The datastores <paramref name="hostId"/> mounts (where the VM's files may go with it).</summary>
    public IReadOnlyList<CenterDatastoreDto> DatastoresOf(string? hostId) =>
        hostId is null ? [] : Datastores.Where(d => d.HostIds.Contains(hostId, StringComparer.Ordinal)).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    public MigrateHostChoice? Host(string? hostId) => Hosts.FirstOrDefault(h => h.Id == hostId);

    /// <summary>True when the VM is running: it moves live (vMotion); otherwise its files and configuration move (cold migration).</summary>
    public bool Live => PowerState == "poweredOn";
}
