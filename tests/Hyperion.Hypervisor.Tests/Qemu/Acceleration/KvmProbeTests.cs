using System.Diagnostics;
using Hyperion.Hypervisor.Qemu.Acceleration;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Acceleration;

public sealed class KvmProbeTests
{
    [Fact]
    public async Task RunAsync_QemuBinaryMissing_NotBootedCannotRun()
    {
        var probe = new KvmProbe("/nonexistent/qemu-system-x86_64", TimeProvider.System);

        var result = await probe.RunAsync("/nonexistent/vmlinux", "/nonexistent/initrd", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.False(result.Booted);
        Assert.Equal(TimeSpan.Zero, result.Elapsed);
        Assert.StartsWith("cannot run /nonexistent/qemu-system-x86_64", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Kvm")]
    public async Task RunAsync_TinyGuestOnThisMachine_FinishesWithinDeadline()
    {
        var deadline = TimeSpan.FromSeconds(15);
        var probe = new KvmProbe("qemu-system-x86_64", TimeProvider.System);
        var kernel = TinyGuest.Kernel;
        var initrd = TinyGuest.Initrd;
        var stopwatch = Stopwatch.StartNew();

        var result = await probe.RunAsync(kernel, initrd, deadline, CancellationToken.None);

        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < deadline + TimeSpan.FromSeconds(5), $"probe took {stopwatch.Elapsed} (deadline {deadline}): {result}");
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
        if (result.Booted)
        {
            Assert.True(result.Elapsed < deadline, $"booted after the deadline: {result}");
        }
    }
}
