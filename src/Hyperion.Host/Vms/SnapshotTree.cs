using System.Globalization;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;

namespace Hyperion.Host.Vms;

/// <summary>
/// A VM's snapshot tree, kept in its folder (<c>snapshots.json</c>, so it travels with the folder). Each snapshot is an
/// internal qcow2 snapshot tagged <c>hy-snap-ID</c> on every disk; the tree (parents, the current one) is this file's:
/// qcow2 itself only lists them.
/// </summary>
internal sealed class SnapshotTree
{
    public const string FileName = "snapshots.json";

    public List<SnapshotDto> Snapshots { get; init; } = [];

    public int? CurrentId { get; set; }

    public int NextId { get; set; } = 1;

    public static string Tag(int id) => string.Create(CultureInfo.InvariantCulture, $"hy-snap-{id}");

    public static SnapshotTree Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return new SnapshotTree();
        }

        return JsonSerializer.Deserialize<SnapshotTree>(File.ReadAllText(path), JsonDefaults.Indented) ?? new SnapshotTree();
    }

    /// <summary>Written to a temporary file and renamed over the old one: a crash leaves the old tree or the new one.</summary>
    public void Save(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonDefaults.Indented));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>By id (<c>3</c>) or name.</summary>
    public SnapshotDto Find(string idOrName, string vmName) =>
        Snapshots.FirstOrDefault(s => s.Name == idOrName)
        ?? (int.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Snapshots.FirstOrDefault(s => s.Id == id) : null)
        ?? throw new DomainException(ErrorCodes.SnapshotNotFound, $"VM '{vmName}' has no snapshot '{idOrName}'");

    /// <summary>The new snapshot becomes a child of the current one, and current.</summary>
    public SnapshotDto Add(string name, string? description, bool memory, string powerState, DateTimeOffset createdAt)
    {
        var snapshot = new SnapshotDto(NextId, name, createdAt, memory, powerState) { Description = description, ParentId = CurrentId };
        Snapshots.Add(snapshot);
        CurrentId = snapshot.Id;
        NextId++;
        return snapshot;
    }

    /// <summary>Removes one snapshot from the tree: its children hang from its parent; if it was current, its parent is.</summary>
    public void Remove(SnapshotDto snapshot)
    {
        for (var i = 0; i < Snapshots.Count; i++)
        {
            if (Snapshots[i].ParentId == snapshot.Id)
            {
                Snapshots[i] = Snapshots[i] with { ParentId = snapshot.ParentId };
            }
        }

        Snapshots.RemoveAll(s => s.Id == snapshot.Id);
        if (CurrentId == snapshot.Id)
        {
            CurrentId = snapshot.ParentId;
        }
    }

    public SnapshotTreeDto ToDto() => new(Snapshots.ToList(), CurrentId);
}
