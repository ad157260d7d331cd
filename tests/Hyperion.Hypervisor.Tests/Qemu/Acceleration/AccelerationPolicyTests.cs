using Hyperion.Hypervisor.Qemu.Acceleration;

namespace Hyperion.Hypervisor.Tests.Qemu.Acceleration;

public sealed class AccelerationPolicyTests
{
    private static readonly KvmProbeResult Booted = new(true, TimeSpan.FromMilliseconds(412.4), "booted");
    private static readonly KvmProbeResult Failed = new(false, TimeSpan.FromSeconds(10), "no boot marker within 10 s");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_TcgForced_TcgWhateverTheDeviceOrProbe(bool kvmDevicePresent)
    {
        var decision = AccelerationPolicy.Decide("tcg", kvmDevicePresent, Booted);

        Assert.Equal(new AccelerationDecision("tcg", "tcg", "forced by --accel tcg", null), decision);
        Assert.Equal("max", decision.CpuModel);
    }

    [Fact]
    public void Decide_KvmForcedWithDevice_KvmNotProbed()
    {
        var decision = AccelerationPolicy.Decide("kvm", kvmDevicePresent: true, probe: null);

        Assert.Equal(new AccelerationDecision("kvm", "kvm", "forced by --accel kvm (not probed)", null), decision);
        Assert.Equal("host", decision.CpuModel);
    }

    [Fact]
    public void Decide_KvmForcedWithoutDevice_KvmWithWarning()
    {
        var decision = AccelerationPolicy.Decide("kvm", kvmDevicePresent: false, probe: Failed);

        Assert.Equal("kvm", decision.Mode);
        Assert.Equal("forced by --accel kvm, but /dev/kvm is missing: VMs will fail to start", decision.Reason);
        Assert.Null(decision.ProbeTime);
    }

    [Fact]
    public void Decide_AutoWithoutDevice_Tcg()
    {
        var decision = AccelerationPolicy.Decide("auto", kvmDevicePresent: false, probe: Booted);

        Assert.Equal(new AccelerationDecision("tcg", "auto", "/dev/kvm not present: software emulation (TCG)", null), decision);
    }

    [Fact]
    public void Decide_AutoProbeBooted_KvmWithProbeTime()
    {
        var decision = AccelerationPolicy.Decide("auto", kvmDevicePresent: true, probe: Booted);

        Assert.Equal(new AccelerationDecision("kvm", "auto", "KVM probe guest booted in 412 ms", TimeSpan.FromMilliseconds(412.4)), decision);
        Assert.Equal("host", decision.CpuModel);
    }

    [Fact]
    public void Decide_AutoProbeFailed_TcgWithDetail()
    {
        var decision = AccelerationPolicy.Decide("auto", kvmDevicePresent: true, probe: Failed);

        Assert.Equal(
            new AccelerationDecision("tcg", "auto", "KVM probe failed (no boot marker within 10 s): software emulation (TCG)", TimeSpan.FromSeconds(10)),
            decision);
        Assert.Equal("max", decision.CpuModel);
    }

    [Fact]
    public void Decide_AutoWithDeviceNotProbed_Tcg()
    {
        var decision = AccelerationPolicy.Decide("auto", kvmDevicePresent: true, probe: null);

        Assert.Equal(new AccelerationDecision("tcg", "auto", "KVM not probed: software emulation (TCG)", null), decision);
    }

    [Theory]
    [InlineData("")]
    [InlineData("KVM")]
    [InlineData("hvf")]
    [InlineData(" auto")]
    public void Decide_UnknownValue_Throws(string requested)
    {
        var ex = Assert.Throws<ArgumentException>(() => AccelerationPolicy.Decide(requested, true, Booted));

        Assert.Equal("requested", ex.ParamName);
        Assert.Contains("use auto, kvm or tcg", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", true, true)]
    [InlineData("auto", false, false)]
    [InlineData("kvm", true, false)]
    [InlineData("kvm", false, false)]
    [InlineData("tcg", true, false)]
    [InlineData("tcg", false, false)]
    public void NeedsProbe_RequestAndDevice_OnlyAutoWithDevice(string requested, bool kvmDevicePresent, bool expected)
    {
        Assert.Equal(expected, AccelerationPolicy.NeedsProbe(requested, kvmDevicePresent));
    }

    [Fact]
    public void Choices_AreAutoKvmTcg()
    {
        Assert.Equal(["auto", "kvm", "tcg"], AccelerationPolicy.Choices);
    }

    [Theory]
    [InlineData("kvm", "host")]
    [InlineData("tcg", "max")]
    public void CpuModel_Mode_HostForKvmMaxOtherwise(string mode, string expected)
    {
        Assert.Equal(expected, new AccelerationDecision(mode, "auto", "r", null).CpuModel);
    }
}
