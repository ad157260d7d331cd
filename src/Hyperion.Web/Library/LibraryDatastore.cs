using Hyperion.Contracts.Center;

namespace Hyperion.Web.Library;

/// <summary>
/// A datastore of a host as the library dialogs offer it: <see cref="HostName"/> is the host's own name (sent in the
/// request: the host agent keeps library items and VMs there), <see cref="Center"/> the Center's record (a host's
/// <c>local</c> store is <c>local (host-N)</c> in the inventory).
/// </summary>
public sealed record LibraryDatastore(string HostName, CenterDatastoreDto Center)
{
    /// <summary>The host's name of a Center datastore it mounts: <c>local (host-3)</c> is host-3's <c>local</c>.</summary>
    public static LibraryDatastore For(CenterDatastoreDto datastore, string hostId)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        var suffix = $" ({hostId})";
        return new LibraryDatastore(
            datastore.Type == "local" && datastore.Name.EndsWith(suffix, StringComparison.Ordinal) ? datastore.Name[..^suffix.Length] : datastore.Name,
            datastore);
    }
}
