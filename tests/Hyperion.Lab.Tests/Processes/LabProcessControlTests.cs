using Hyperion.Lab.Processes;

namespace Hyperion.Lab.Tests.Processes;

public sealed class LabProcessControlTests
{
    private const string Dir = "/var/lib/hyperion/labs/lab";

    [Theory]
    [InlineData(true, "/usr/bin/qemu-system-x86_64", "-pidfile", "/var/lib/hyperion/labs/lab/host-1/run/vm-1/qemu.pid")]
    [InlineData(true, "/usr/share/dotnet/dotnet", "/opt/h/hyperion.dll", "host", "serve", "--data", "/var/lib/hyperion/labs/lab/host-2")]
    [InlineData(true, "hyperion", "center", "serve", "--data", "/var/lib/hyperion/labs/lab")]
    [InlineData(true, "dotnet", "x.dll", "--datastore", "shared=/var/lib/hyperion/labs/lab/shared")]
    [InlineData(false, "/usr/bin/tail", "-f", "/var/lib/hyperion/labs/lab/logs/center.log")]
    [InlineData(false, "/usr/bin/qemu-system-x86_64", "-pidfile", "/var/lib/hyperion/labs/lab2/host-1/qemu.pid")]
    [InlineData(false, "dotnet", "x.dll", "--data", "/var/lib/hyperion/labs/labx")]
    [InlineData(false, "")]
    public void BelongsToLab_CommandLine_OnlyOurProgramsInsideTheDirectory(bool expected, params string[] argv)
    {
        Assert.Equal(expected, LabProcessControl.BelongsToLab(argv, Dir));
    }

    [Fact]
    public async Task StopAsync_SleepIgnoringNothing_StoppedBySigterm()
    {
        using var dir = new TempDirectory();
        var log = Path.Combine(dir.Path, "sleep.log");
        var pid = new PosixSpawnLauncher().Start(new Hypervisor.Processes.ProcessSpec("sleep", ["30"]), log);
        var target = LabProcessControl.Describe(pid, "sleep");
        Assert.True(target.IsAlive);

        var left = await new LabProcessControl(TimeProvider.System).StopAsync([target], TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Empty(left);
        Assert.False(target.IsAlive);
    }
}
