using Hyperion.Contracts.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// One line of the snapshot tree as the Manage Snapshots dialog draws it: the snapshot, its depth under its root, and
/// whether the VM's current state descends from it (vSphere's "You are here").
/// </summary>
public sealed record SnapshotRow(SnapshotDto Snapshot, int Depth, bool IsCurrent)
{
    /// <summary>
    /// The tree depth-first, each snapshot after its parent and siblings oldest first. A snapshot whose parent is not in
    /// the list (the host closes the tree over a deleted one; this is only a guard) is shown as a root.
    /// </summary>
    public static IReadOnlyList<SnapshotRow> From(SnapshotTreeDto tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var ids = tree.Snapshots.Select(s => s.Id).ToHashSet();
        var children = tree.Snapshots
            .GroupBy(s => s.ParentId is { } p && ids.Contains(p) ? p : (int?)null)
            .ToDictionary(g => g.Key ?? -1, g => g.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToList());
        var rows = new List<SnapshotRow>(tree.Snapshots.Count);
        var visited = new HashSet<int>();
        void Walk(int parent, int depth)
        {
            foreach (var snapshot in children.GetValueOrDefault(parent) ?? [])
            {
                // A cycle cannot come from the host; refuse to loop on one anyway.
                if (visited.Add(snapshot.Id))
                {
                    rows.Add(new SnapshotRow(snapshot, depth, snapshot.Id == tree.CurrentId));
                    Walk(snapshot.Id, depth + 1);
                }
            }
        }

        Walk(-1, 0);
        return rows;
    }
}
