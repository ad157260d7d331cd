using Hyperion.Hypervisor.Hosts;

namespace Hyperion.Hypervisor.Tests.Hosts;

public sealed class HostHardwareProbeTests
{
    private const string CpuInfo = """
        processor	: 0
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 85
        model name	: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
        flags		: fpu vme de pse  vmx sse4_2 avx2
        bugs		: spectre_v1

        processor	: 1
        vendor_id	: GenuineIntel
        model name	: Some Other CPU
        flags		: fpu

        """;

    private const string MemInfo = """
        MemTotal:       16318480 kB
        MemFree:         1234567 kB
        MemAvailable:    8123456 kB
        MemAvailableX:         1 kB
        HugePages_Total:       0
        """;

    [Fact]
    public void ParseCpuInfo_TwoProcessors_TakesFirstModelAndFlags()
    {
        var (model, flags) = HostHardwareProbe.ParseCpuInfo(CpuInfo);

        Assert.Equal("Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", model);
        Assert.Equal(["fpu", "vme", "de", "pse", "vmx", "sse4_2", "avx2"], flags);
    }

    [Fact]
    public void ParseCpuInfo_NoModelOrFlags_UnknownAndEmpty()
    {
        var (model, flags) = HostHardwareProbe.ParseCpuInfo("processor\t: 0\nCPU implementer\t: 0x41\n");

        Assert.Equal("unknown", model);
        Assert.Empty(flags);
    }

    [Fact]
    public void ParseCpuInfo_Empty_UnknownAndEmpty()
    {
        var (model, flags) = HostHardwareProbe.ParseCpuInfo(string.Empty);

        Assert.Equal("unknown", model);
        Assert.Empty(flags);
    }

    [Fact]
    public void ParseCpuInfo_ThisMachine_FindsModel()
    {
        var (model, _) = HostHardwareProbe.ParseCpuInfo(File.ReadAllText("/proc/cpuinfo"));

        Assert.False(string.IsNullOrWhiteSpace(model));
    }

    [Theory]
    [InlineData("MemTotal", 16318480L)]
    [InlineData("MemFree", 1234567L)]
    [InlineData("MemAvailable", 8123456L)]
    [InlineData("HugePages_Total", 0L)]
    [InlineData("Missing", 0L)]
    [InlineData("Mem", 0L)]
    public void ParseMeminfoKiB_Key_ReturnsValueOfExactKey(string key, long expected)
    {
        Assert.Equal(expected, HostHardwareProbe.ParseMeminfoKiB(MemInfo, key));
    }

    [Fact]
    public void ParseMeminfoKiB_ThisMachine_MemTotalPositive()
    {
        Assert.True(HostHardwareProbe.ParseMeminfoKiB(File.ReadAllText("/proc/meminfo"), "MemTotal") > 0);
    }

    [Theory]
    [InlineData("QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n", "7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)")]
    [InlineData("QEMU emulator version 9.1.0\r\n", "9.1.0")]
    [InlineData("something unexpected\nsecond", "something unexpected")]
    [InlineData("", "")]
    public void ParseQemuVersion_Output_ReturnsVersionAfterPrefix(string output, string expected)
    {
        Assert.Equal(expected, HostHardwareProbe.ParseQemuVersion(output));
    }
}
