using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Processes;

namespace Hyperion.Lab.Tests.Processes;

/// <summary>The real posix_spawn: own session, stdio to /dev/null and the log, environment overrides, working directory.</summary>
public sealed class PosixSpawnLauncherTests
{
    [Fact]
    public async Task Start_Program_OwnSessionOutputAppendedToLog()
    {
        using var dir = new TempDirectory();
        var log = Path.Combine(dir.Path, "out.log");
        File.WriteAllText(log, "earlier\n");
        var launcher = new PosixSpawnLauncher();

        var pid = launcher.Start(new ProcessSpec("sleep", ["30"]), log);
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[3]); // session id (field 6) = its own pid
            Assert.Equal("/dev/null", new FileInfo($"/proc/{pid}/fd/0").LinkTarget);
            Assert.Equal(log, new FileInfo($"/proc/{pid}/fd/1").LinkTarget);
            Assert.Equal(log, new FileInfo($"/proc/{pid}/fd/2").LinkTarget);
        }
        finally
        {
            await new LabProcessControl(TimeProvider.System).StopAsync([LabProcessControl.Describe(pid, "sleep")], TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        Assert.Equal("earlier\n", File.ReadAllText(log));
    }

    [Fact]
    public async Task Start_EnvironmentAndDirectory_Applied()
    {
        using var dir = new TempDirectory();
        var log = Path.Combine(dir.Path, "env.log");

        var launcher = new PosixSpawnLauncher();

        await WaitExitAsync(launcher.Start(new ProcessSpec("env", []) { Environment = new Dictionary<string, string> { ["HYPERION_LAB_TEST"] = "v a l" } }, log));
        await WaitExitAsync(launcher.Start(new ProcessSpec("pwd", []) { WorkingDirectory = dir.Path }, log));

        var text = File.ReadAllText(log);
        Assert.Contains("HYPERION_LAB_TEST=v a l\n", text, StringComparison.Ordinal);
        Assert.EndsWith($"\n{dir.Path}\n", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log) & (UnixFileMode)0x1FF);
    }

    private static async Task WaitExitAsync(int pid)
    {
        var target = LabProcessControl.Describe(pid, "child");
        for (var i = 0; i < 200 && target.IsAlive; i++)
        {
            await Task.Delay(50);
        }

        Assert.False(target.IsAlive, $"pid {pid} did not exit");
    }

    [Fact]
    public void Start_NoSuchProgram_LabException()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<LabException>(() => new PosixSpawnLauncher().Start(new ProcessSpec("no-such-program-hyperion", []), Path.Combine(dir.Path, "x.log")));

        Assert.Contains("no-such-program-hyperion", ex.Message, StringComparison.Ordinal);
    }
}
