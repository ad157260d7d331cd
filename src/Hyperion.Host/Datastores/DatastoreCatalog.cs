using Hyperion.Contracts.Datastores;
using Hyperion.Domain.Errors;

namespace Hyperion.Host.Datastores;

/// <summary>The host's datastores: <c>local</c> under the data directory, plus any configured at start.</summary>
public sealed class DatastoreCatalog
{
    public const string DefaultName = "local";
    private readonly Dictionary<string, Datastore> _datastores = new(StringComparer.Ordinal);

    public DatastoreCatalog(HostAgentOptions options)
    {
        var local = Path.Combine(options.DataDirectory, "datastores", DefaultName);
        Directory.CreateDirectory(local);
        _datastores[DefaultName] = new Datastore(DefaultName, Path.GetFullPath(local), "local");
        foreach (var (name, path) in options.Datastores)
        {
            Directory.CreateDirectory(path);
            _datastores[name] = new Datastore(name, Path.GetFullPath(path), "directory");
        }
    }

    public IReadOnlyCollection<Datastore> All => _datastores.Values;

    public Datastore Get(string? name)
    {
        name ??= DefaultName;
        return _datastores.TryGetValue(name, out var ds)
            ? ds
            : throw new DomainException(ErrorCodes.DatastoreNotFound, $"datastore '{name}' does not exist on this host (known: {string.Join(", ", _datastores.Keys)})");
    }

    public static DatastoreDto Describe(Datastore datastore)
    {
        var drive = new DriveInfo(datastore.Path);
        return new DatastoreDto(datastore.Name, datastore.Path, datastore.Type, drive.TotalSize, drive.AvailableFreeSpace);
    }
}
