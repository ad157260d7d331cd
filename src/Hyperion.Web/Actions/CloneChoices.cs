using Hyperion.Contracts.Center;

namespace Hyperion.Web.Actions;

/// <summary>
/// What the Clone dialog offers for one VM or template: the source as the Center has it (its host, datastore and
/// folder), the hosts of its datacenter the user may see, with the source's own first, and the datacenter's
/// datastores (each with the hosts that mount it). <see cref="MayCreateInFolder"/> and <see cref="MayCustomize"/>
/// are the privileges the Center checks on the folder and the source.
/// </summary>
public sealed record CloneChoices(
    string VmId,
    string VmName,
    bool Template,
    string PowerState,
    string? SourceHostId,
    CenterDatastoreDto? SourceDatastore,
    string FolderId,
    string FolderPath,
    bool MayCreateInFolder,
    bool MayCustomize,
    IReadOnlyList<CloneHostChoice> Hosts)
{
    /// <summary>The datacenter's datastores (those of <see cref="DatastoresFor"/> are the choices).</summary>
    public IReadOnlyList<CenterDatastoreDto> Datastores { get; init; } = [];

    public CloneHostChoice? Host(string? hostId) => Hosts.FirstOrDefault(h => h.Id == hostId);

    public string? SourceHostLabel => Host(SourceHostId) is { } source ? $"{source.Host.Name}:{source.Host.Port} ({source.Id})" : SourceHostId;

    /// <summary>
    /// Where a clone for <paramref name="hostId"/> can be made: the source's host writes the copy, so a datastore it
    /// mounts; for another host, one that host mounts too (the Center hands the files over, they do not move).
    /// </summary>
    public IReadOnlyList<CenterDatastoreDto> DatastoresFor(string? hostId) =>
        SourceHostId is null || hostId is null
            ? []
            : Datastores.Where(d => d.HostIds.Contains(SourceHostId, StringComparer.Ordinal) && d.HostIds.Contains(hostId, StringComparer.Ordinal))
                .OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
}
