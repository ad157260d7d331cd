using Hyperion.Contracts.Vms;
using Hyperion.Web.Components.Inventory;

namespace Hyperion.Web.Tests;

/// <summary>The VM summary's "Guest agent" line, as vSphere words VMware Tools' status.</summary>
public sealed class GuestAgentDisplayTests
{
    private static VmDto Vm(VmGuestAgentDto? status) => new()
    {
        Id = "vm-1",
        Name = "web01",
        Uuid = Guid.Empty.ToString("D"),
        PowerState = status is null ? "poweredOff" : "poweredOn",
        Cpus = 1,
        MemoryMiB = 128,
        Disks = [],
        Nics = [],
        Boot = new VmBootDto("kernel", "tiny", null, null, null, null),
        Datastore = "local",
        Folder = "/x",
        GuestAgent = true,
        GuestAgentStatus = status,
    };

    [Fact]
    public void GuestAgentText_EachState_SaysRunningWithVersionOrWhyNot()
    {
        Assert.Equal("Running (version hyperion-tiny-1)", InventoryDisplay.GuestAgentText(Vm(new VmGuestAgentDto(VmGuestAgentStates.Running, "hyperion-tiny-1", null, DateTimeOffset.UnixEpoch))));
        Assert.Equal("Not running (not answered since power-on)", InventoryDisplay.GuestAgentText(Vm(new VmGuestAgentDto(VmGuestAgentStates.NotRunning, null, null, null))));
        Assert.StartsWith("Not running (last answered ", InventoryDisplay.GuestAgentText(Vm(new VmGuestAgentDto(VmGuestAgentStates.NotRunning, "1", null, DateTimeOffset.UnixEpoch))), StringComparison.Ordinal);
        Assert.Equal("Not running (the VM is off)", InventoryDisplay.GuestAgentText(Vm(null)));
    }
}
