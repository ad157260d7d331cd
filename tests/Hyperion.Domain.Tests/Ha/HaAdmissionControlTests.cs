using Hyperion.Domain.Ha;

namespace Hyperion.Domain.Tests.Ha;

public sealed class HaAdmissionControlTests
{
    [Fact]
    public void Constructor_ThreeHosts_ReservesTheLargestN()
    {
        var admission = new HaAdmissionControl([4096, 8192, 2048], hostFailuresTolerated: 1, protectedMemoryMiB: 1024);

        Assert.Equal(14336, admission.TotalMemoryMiB);
        Assert.Equal(8192, admission.ReservedMemoryMiB);
        Assert.Equal(1024, admission.ProtectedMemoryMiB);
        Assert.Equal(14336 - 8192 - 1024, admission.AvailableMemoryMiB);
    }

    [Fact]
    public void Constructor_TwoFailures_ReservesTheTwoLargest()
    {
        var admission = new HaAdmissionControl([1000, 3000, 2000, 4000], hostFailuresTolerated: 2, protectedMemoryMiB: 0);

        Assert.Equal(7000, admission.ReservedMemoryMiB);
        Assert.Equal(3000, admission.AvailableMemoryMiB);
    }

    [Theory]
    [InlineData(5120, true)]
    [InlineData(5121, false)]
    public void CanPowerOn_AtTheEdge_AdmitsExactlyWhatIsLeft(long vmMemory, bool expected)
    {
        var admission = new HaAdmissionControl([8192, 8192], hostFailuresTolerated: 1, protectedMemoryMiB: 3072);

        Assert.Equal(expected, admission.CanPowerOn(vmMemory));
        Assert.Equal(expected, admission.RefusalReason(vmMemory) is null);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(1, 0)]
    public void CanPowerOn_FailuresNotBelowHostCount_Refuses(int failures, int hosts)
    {
        var admission = new HaAdmissionControl(Enumerable.Repeat(8192L, hosts), failures, protectedMemoryMiB: 0);

        Assert.False(admission.HasFailoverCapacity);
        Assert.Equal(0, admission.AvailableMemoryMiB);
        Assert.False(admission.CanPowerOn(0));
        Assert.Contains($"{failures} host failure(s) tolerated", admission.RefusalReason(1), StringComparison.Ordinal);
    }

    [Fact]
    public void AvailableMemoryMiB_MoreProtectedThanCapacity_NeverNegative()
    {
        var admission = new HaAdmissionControl([4096, 4096], hostFailuresTolerated: 1, protectedMemoryMiB: 6000);

        Assert.Equal(0, admission.AvailableMemoryMiB);
        Assert.False(admission.CanPowerOn(1));
    }

    [Fact]
    public void CanPowerOn_NoFailuresTolerated_EverythingCounts()
    {
        var admission = new HaAdmissionControl([4096], hostFailuresTolerated: 0, protectedMemoryMiB: 1024);

        Assert.Equal(0, admission.ReservedMemoryMiB);
        Assert.True(admission.CanPowerOn(3072));
        Assert.False(admission.CanPowerOn(3073));
    }

    [Fact]
    public void RefusalReason_DoesNotFit_StatesNeededAvailableAndN()
    {
        var admission = new HaAdmissionControl([4096, 4096, 4096], hostFailuresTolerated: 1, protectedMemoryMiB: 7168);

        var reason = admission.RefusalReason(2048);

        Assert.Equal("needs 2048 MiB, 1024 MiB available for protected VMs (12288 MiB total, 4096 MiB reserved for 1 host failure(s), 7168 MiB used by protected VMs)", reason);
    }
}
