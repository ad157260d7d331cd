using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Web.Actions;

namespace Hyperion.Web.Tests;

/// <summary>The Take Snapshot form's checks and the Manage Snapshots tree, without a browser.</summary>
public sealed class SnapshotModelTests
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 14, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_WantsAFreshPrintableName_AndMemoryOnlyWhileQemuRuns()
    {
        var model = new SnapshotModel { Name = "  " };
        Assert.Equal([(SnapshotModel.NameField, "enter a name for the snapshot")], model.Validate("web-1", VmPowerState.PoweredOff, []));
        model.Name = new string('x', SnapshotModel.MaxNameLength + 1);
        Assert.Equal("name must be 1–80 printable characters", Assert.Single(model.Validate("web-1", VmPowerState.PoweredOff, [])).Message);
        model.Name = "before\tupgrade";
        Assert.Single(model.Validate("web-1", VmPowerState.PoweredOff, []));
        model.Name = "before";
        Assert.Equal([(SnapshotModel.NameField, "VM 'web-1' already has a snapshot 'before'")], model.Validate("web-1", VmPowerState.PoweredOff, ["before"]));

        model.Memory = true;
        Assert.Equal([(SnapshotModel.MemoryField, "web-1 is powered off: there is no memory to include")], model.Validate("web-1", VmPowerState.PoweredOff, []));
        Assert.Empty(model.Validate("web-1", VmPowerState.PoweredOn, []));
        Assert.Empty(model.Validate("web-1", VmPowerState.Suspended, []));
        Assert.False(SnapshotModel.MemoryAvailable(VmPowerState.PoweredOff));
    }

    [Fact]
    public void ToRequest_TrimsAndDropsAnEmptyDescription_AndTheDefaultNameIsVsphereLike()
    {
        var model = new SnapshotModel { Name = " before ", Description = "  ", Memory = true };
        Assert.Equal(new SnapshotCreateRequest("before") { Memory = true }, model.ToRequest());
        model.Description = " pre-upgrade ";
        Assert.Equal("pre-upgrade", model.ToRequest().Description);
        Assert.Equal("VM Snapshot 2025-05-14 10:00:00", SnapshotModel.DefaultName(T0));
    }

    [Fact]
    public void FieldOf_MapsTheHostsRefusalsThroughTheTaskToTheirFields()
    {
        Assert.Equal(SnapshotModel.NameField, SnapshotModel.FieldOf(ErrorCodes.InvalidArgument, "name", "whatever"));
        Assert.Equal(SnapshotModel.NameField, SnapshotModel.FieldOf(ErrorCodes.InvalidArgument, null, "VM 'web-1' already has a snapshot 'before'"));
        Assert.Equal(SnapshotModel.MemoryField, SnapshotModel.FieldOf(ErrorCodes.VmInvalidState, null, "VM 'web-1' is powered off: there is no memory to snapshot (take a disk snapshot)"));
        Assert.Null(SnapshotModel.FieldOf(ErrorCodes.VmInvalidState, null, "VM 'web-1' has no disk: a snapshot is kept in its qcow2 disks (add one)"));
    }

    [Fact]
    public void Rows_DrawTheTreeDepthFirst_OldestSiblingFirst_MarkingTheCurrentOne()
    {
        SnapshotDto Snap(int id, int? parent, int minutes) => new(id, $"s{id}", T0.AddMinutes(minutes), false, "poweredOff") { ParentId = parent };
        // s1 ─┬─ s2 ── s4
        //     └─ s3          (s3 taken after s2, on a revert to s1); s5 names a parent that is gone: shown as a root.
        var tree = new SnapshotTreeDto([Snap(1, null, 0), Snap(3, 1, 3), Snap(2, 1, 1), Snap(4, 2, 4), Snap(5, 9, 5)], 3);
        var rows = SnapshotRow.From(tree);
        Assert.Equal([("s1", 0, false), ("s2", 1, false), ("s4", 2, false), ("s3", 1, true), ("s5", 0, false)], rows.Select(r => (r.Snapshot.Name, r.Depth, r.IsCurrent)));
        Assert.Empty(SnapshotRow.From(new SnapshotTreeDto([], null)));
    }
}
