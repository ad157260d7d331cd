using System.Diagnostics;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Tests.Processes;

public sealed class LinuxProcessTableTests
{
    private readonly LinuxProcessTable _table = new();

    [Fact]
    public void IsAlive_OwnProcess_True()
    {
        Assert.True(_table.IsAlive(Environment.ProcessId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void IsAlive_NonPositivePid_False(int pid)
    {
        Assert.False(_table.IsAlive(pid));
    }

    [Fact]
    public void IsAlive_PidThatDoesNotExist_False()
    {
        Assert.False(_table.IsAlive(int.MaxValue));
    }

    [Fact]
    public async Task IsAlive_FinishedChild_False()
    {
        using var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await child.WaitForExitAsync();

        Assert.False(_table.IsAlive(child.Id));
    }

    [Fact]
    public void ReadCommandLine_OwnProcess_ReturnsArgv()
    {
        var argv = _table.ReadCommandLine(Environment.ProcessId);

        Assert.NotNull(argv);
        Assert.NotEmpty(argv);
        Assert.All(argv, a => Assert.DoesNotContain('\0', a));
        Assert.Equal(Path.GetFileName(Environment.ProcessPath), Path.GetFileName(argv[0]));
    }

    [Fact]
    public void ReadCommandLine_PidThatDoesNotExist_Null()
    {
        Assert.Null(_table.ReadCommandLine(int.MaxValue));
    }

    [Fact]
    public async Task ReadCommandLineAndKill_RunningChild_ExactArgvThenNotAlive()
    {
        var psi = new ProcessStartInfo("/bin/sleep") { UseShellExecute = false };
        psi.ArgumentList.Add("30");
        using var child = Process.Start(psi)!;
        try
        {
            Assert.True(_table.IsAlive(child.Id));

            // Between fork and exec the child's cmdline is empty (or the parent's): wait until it is sleep.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var argv = _table.ReadCommandLine(child.Id);
            while ((argv is not { Count: > 0 } || argv[0] != "/bin/sleep") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
                argv = _table.ReadCommandLine(child.Id);
            }

            Assert.Equal(["/bin/sleep", "30"], argv);

            Assert.True(_table.Kill(child.Id));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await child.WaitForExitAsync(timeout.Token);

            Assert.False(_table.IsAlive(child.Id));
            Assert.False(_table.Kill(child.Id));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Kill_NonPositivePid_FalseWithoutSignalling(int pid)
    {
        Assert.False(_table.Kill(pid));
    }
}
