using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Inventory;

/// <summary>
/// The inventory tree as one user sees it, for the web client's views: which objects are visible
/// (<see cref="Hyperion.Domain.Authorization.Privileges.SystemView"/>, the same evaluator as the API's lists), where each
/// shows in the "Hosts and Clusters" tree, and which hosts and VM folders lie under a container. Built from one read of
/// the <see cref="InventoryTree"/> (VMs are not in it: they are queried in SQL).
/// </summary>
public sealed class InventoryScope(InventoryTree tree, VisibilityEvaluator visibility)
{
    /// <summary>Stands for "the top of the tree" as a dictionary key (never a real object id).</summary>
    private static readonly InventoryId Top = new("top");

    private Dictionary<InventoryId, IReadOnlyList<InventoryId>>? _shown;

    public InventoryTree Tree => tree;

    public VisibilityEvaluator Visibility => visibility;

    public bool Visible(InventoryId id) => tree.Contains(id) && visibility.Allows(id);

    /// <summary>A datacenter's root host folder: the tree shows its contents under the datacenter itself, as vSphere does.</summary>
    public bool IsHiddenFolder(InventoryId id) =>
        tree.FolderKindOf(id) == FolderKind.Host && tree.ParentOf(id) is { Kind: InventoryObjectKind.Datacenter };

    /// <summary>A datacenter's root VM folder (shown as its "Virtual Machines" node).</summary>
    public bool IsRootVmFolder(InventoryId id) =>
        tree.FolderKindOf(id) == FolderKind.Vm && tree.ParentOf(id) is { Kind: InventoryObjectKind.Datacenter };

    /// <summary>The nearest ancestor the tree shows (visible, not a hidden folder); null when there is none (a top-level node).</summary>
    public InventoryId? DisplayParentOf(InventoryId id)
    {
        var parent = tree.ParentOf(id);
        for (var depth = 0; parent is { } p && depth < 128; depth++)
        {
            if (!IsHiddenFolder(p) && Visible(p))
            {
                return p;
            }

            parent = tree.ParentOf(p);
        }

        return null;
    }

    /// <summary>The objects of the tree (not VMs) shown directly under <paramref name="parent"/> (null: at the top).</summary>
    public IReadOnlyList<InventoryId> ShownUnder(InventoryId? parent)
    {
        // Computed once for the whole tree: each shown object under its nearest shown ancestor (the top for none or the root folder).
        _shown ??= tree.Objects
            .Where(o => o != InventoryId.RootFolder && !IsHiddenFolder(o) && Visible(o))
            .GroupBy(o => DisplayParentOf(o) is { } p && p != InventoryId.RootFolder ? p : Top)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<InventoryId>)g.ToList());
        return _shown.GetValueOrDefault(parent ?? Top) ?? [];
    }

    /// <summary>The visible objects of <paramref name="kind"/> in <paramref name="scope"/>'s subtree (itself included).</summary>
    public List<InventoryId> Below(InventoryId scope, InventoryObjectKind kind) =>
        tree.Subtree(scope).Where(o => o.Kind == kind && Visible(o)).ToList();

    /// <summary>The VM folders of <paramref name="scope"/>'s subtree, visible or not (VM visibility is decided per VM).</summary>
    public List<InventoryId> VmFoldersBelow(InventoryId scope) =>
        tree.Subtree(scope).Where(o => tree.FolderKindOf(o) == FolderKind.Vm).ToList();

    /// <summary>The hosts of <paramref name="scope"/>'s subtree, visible or not.</summary>
    public List<InventoryId> HostsBelow(InventoryId scope) =>
        tree.Subtree(scope).Where(o => o.Kind == InventoryObjectKind.Host).ToList();

    /// <exception cref="DomainException"><see cref="ErrorCodes.InventoryNotFound"/> unless <paramref name="id"/> is in the tree and visible.</exception>
    public void RequireVisible(InventoryId id)
    {
        if (!Visible(id))
        {
            throw NotFound(id.Value);
        }
    }

    public static DomainException NotFound(string id) => new(new DomainError(ErrorCodes.InventoryNotFound, $"no inventory object '{id}' (or no permission to see it)", "id"));
}
