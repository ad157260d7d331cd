namespace Hyperion.Web.Inventory;

/// <summary>One node of the tree as the panel shows it: the node, whether it is open, and its children once loaded.</summary>
public sealed class InventoryTreeItem(InventoryNode node, int depth)
{
    public InventoryNode Node { get; internal set; } = node;

    public int Depth { get; } = depth;

    public bool Expanded { get; internal set; }

    public bool Loading { get; internal set; }

    /// <summary>Why the children could not be loaded, or null.</summary>
    public string? Error { get; internal set; }

    /// <summary>The loaded children (null until the node was first opened).</summary>
    public List<InventoryTreeItem>? Children { get; internal set; }

    /// <summary>How many VMs the node holds in all, when it lists only some of them.</summary>
    public int TotalVms { get; internal set; }

    /// <summary>The object whose VMs tab lists all of them, when the node shows only the first ones.</summary>
    public string? AllVmsOf { get; internal set; }
}

/// <summary>
/// The inventory tree's state in the panel: children are loaded when a node is opened, reloaded (keeping what is open)
/// when tasks change the inventory, and the path to an object can be opened to reveal it. Loading goes through a
/// delegate (the panel's call to <see cref="InventoryBrowser.ChildrenAsync"/> as the signed-in user).
/// </summary>
public sealed class InventoryTreeModel(Func<string?, CancellationToken, Task<InventoryChildren>> load) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The top-level nodes (null until loaded).</summary>
    public List<InventoryTreeItem>? Roots { get; private set; }

    public string? Error { get; private set; }

    public async Task LoadRootsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var children = await load(null, cancellationToken);
            Roots = Merge(Roots, children.Nodes, 0);
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Error = Services.CenterSession.Describe(ex);
        }
    }

    /// <summary>Opens or closes <paramref name="item"/>, loading its children the first time.</summary>
    public async Task ToggleAsync(InventoryTreeItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Expanded)
        {
            item.Expanded = false;
            return;
        }

        item.Expanded = true;
        if (item.Children is null)
        {
            await LoadChildrenAsync(item, cancellationToken);
        }
    }

    /// <summary>Opens the nodes of <paramref name="path"/> (keys from the top down) one level after the other.</summary>
    public async Task RevealAsync(IReadOnlyList<string> path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var level = Roots;
        foreach (var key in path)
        {
            var item = level?.FirstOrDefault(i => i.Node.Key == key);
            if (item is null)
            {
                return;
            }

            item.Expanded = true;
            if (item.Children is null)
            {
                await LoadChildrenAsync(item, cancellationToken);
            }

            level = item.Children;
        }
    }

    /// <summary>Reloads the top level and every open node, keeping open what was open (one refresh at a time).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadRootsAsync(cancellationToken);
            var open = new Queue<InventoryTreeItem>((Roots ?? []).Where(i => i.Expanded));
            while (open.TryDequeue(out var item))
            {
                await LoadChildrenAsync(item, cancellationToken);
                foreach (var child in (item.Children ?? []).Where(c => c.Expanded))
                {
                    open.Enqueue(child);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Every loaded item, depth first, for tests and lookups.</summary>
    public IEnumerable<InventoryTreeItem> All()
    {
        var stack = new Stack<InventoryTreeItem>(Enumerable.Reverse(Roots ?? []));
        while (stack.TryPop(out var item))
        {
            yield return item;
            foreach (var child in Enumerable.Reverse(item.Children ?? []))
            {
                stack.Push(child);
            }
        }
    }

    private async Task LoadChildrenAsync(InventoryTreeItem item, CancellationToken cancellationToken)
    {
        item.Loading = true;
        try
        {
            var children = await load(item.Node.Key, cancellationToken);
            item.Children = Merge(item.Children, children.Nodes, item.Depth + 1);
            item.TotalVms = children.TotalVms;
            item.AllVmsOf = children.AllVmsOf;
            item.Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            item.Error = Services.CenterSession.Describe(ex);
        }
        finally
        {
            item.Loading = false;
        }
    }

    /// <summary>The new children, reusing the items (and so the open state and loaded children) of nodes that were there before.</summary>
    private static List<InventoryTreeItem> Merge(List<InventoryTreeItem>? before, IReadOnlyList<InventoryNode> nodes, int depth)
    {
        var old = (before ?? []).ToDictionary(i => i.Node.Key, StringComparer.Ordinal);
        return nodes.Select(n =>
        {
            if (old.TryGetValue(n.Key, out var kept))
            {
                kept.Node = n;
                return kept;
            }

            return new InventoryTreeItem(n, depth);
        }).ToList();
    }
}
