using Hyperion.Domain.Errors;
using Hyperion.Host.Vms;

namespace Hyperion.Host.Tests.Vms;

public sealed class SnapshotTreeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("snaptree-");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Add_NewSnapshotIsChildOfCurrent_AndBecomesCurrent_IdsNeverReused()
    {
        var tree = new SnapshotTree();
        var a = tree.Add("a", null, memory: true, "poweredOn", Now);
        var b = tree.Add("b", "before the upgrade", memory: false, "poweredOn", Now);
        Assert.Equal((1, (int?)null), (a.Id, a.ParentId));
        Assert.Equal((2, (int?)1), (b.Id, b.ParentId));
        Assert.Equal(2, tree.CurrentId);

        tree.Remove(b);
        var c = tree.Add("c", null, memory: false, "poweredOff", Now);
        Assert.Equal(3, c.Id);
        Assert.Equal("hy-snap-3", SnapshotTree.Tag(c.Id));
    }

    [Fact]
    public void Remove_FromTheMiddle_ChildrenHangFromItsParent_CurrentMovesUpWhenItWasCurrent()
    {
        var tree = new SnapshotTree();
        var root = tree.Add("root", null, false, "poweredOff", Now);
        var middle = tree.Add("middle", null, false, "poweredOff", Now);
        var leaf1 = tree.Add("leaf1", null, false, "poweredOff", Now);
        tree.CurrentId = middle.Id;
        var leaf2 = tree.Add("leaf2", null, false, "poweredOff", Now);
        tree.CurrentId = middle.Id;

        tree.Remove(middle);
        Assert.Equal([(root.Id, (int?)null), (leaf1.Id, root.Id), (leaf2.Id, root.Id)], tree.Snapshots.Select(s => (s.Id, s.ParentId)));
        Assert.Equal(root.Id, tree.CurrentId);
    }

    [Fact]
    public void SaveLoad_RoundTrips_FindByNameOrId_UnknownIsNotFound()
    {
        var tree = new SnapshotTree();
        tree.Add("first", "d", true, "poweredOn", Now);
        tree.Add("42", null, false, "poweredOn", Now);
        tree.Save(_folder.FullName);

        var loaded = SnapshotTree.Load(_folder.FullName);
        Assert.Equal(tree.ToDto().Snapshots, loaded.ToDto().Snapshots);
        Assert.Equal((2, 3), (loaded.CurrentId, loaded.NextId));
        Assert.Equal("first", loaded.Find("1", "vm").Name);
        Assert.Equal(2, loaded.Find("42", "vm").Id); // a name wins over an id
        Assert.Equal(ErrorCodes.SnapshotNotFound, Assert.Throws<DomainException>(() => loaded.Find("nope", "vm")).Code);
        Assert.Empty(SnapshotTree.Load(Path.Combine(_folder.FullName, "missing")).Snapshots);
    }
}
