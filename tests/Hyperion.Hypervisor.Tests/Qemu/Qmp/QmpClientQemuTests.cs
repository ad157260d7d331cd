using System.Diagnostics;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Tests.Qemu.Qmp;

/// <summary>The client against a real QEMU started with -S, so no guest code ever runs.</summary>
[Trait("Category", "Qemu")]
public sealed class QmpClientQemuTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hyperion-qmp-qemu-");

    [Fact]
    public async Task ConnectAsync_RealQemuPaused_QueriesContinuesAndQuits()
    {
        var socketPath = Path.Combine(_directory.FullName, "qmp.sock");
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in (string[])["-machine", "q35", "-accel", "tcg", "-m", "64", "-nodefaults", "-display", "none",
                     "-qmp", $"unix:{socketPath},server=on,wait=off", "-S"])
        {
            start.ArgumentList.Add(argument);
        }

        using var qemu = Process.Start(start)!;
        try
        {
            // Connect immediately: the client must wait for QEMU to create its socket.
            await using var client = await QmpClient.ConnectAsync(socketPath, Patience, CancellationToken.None);

            Assert.Equal(new QmpStatus(false, "prelaunch"), await client.QueryStatusAsync());
            Assert.Equal(7, client.Greeting.Version.Major);
            Assert.Equal(client.Greeting.Version, await client.QueryVersionAsync());
            await client.ContAsync();
            Assert.Equal(new QmpStatus(true, "running"), await client.QueryStatusAsync());
            Assert.Equal("RESUME", (await client.Events.ReadAsync()).Name);
            var error = await Assert.ThrowsAsync<QmpCommandException>(() => client.ExecuteAsync("no-such-command"));
            Assert.Equal("CommandNotFound", error.Class);

            await client.QuitAsync();

            await client.Completion.WaitAsync(Patience);
            await qemu.WaitForExitAsync().WaitAsync(Patience);
            Assert.Equal(0, qemu.ExitCode);
        }
        finally
        {
            if (!qemu.HasExited)
            {
                qemu.Kill();
            }
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
