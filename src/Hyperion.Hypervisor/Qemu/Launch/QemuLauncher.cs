using System.Globalization;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>
/// Starts a VM's QEMU detached (<c>-daemonize</c>: double fork, new session) so it outlives the agent.
/// QEMU's parent exits only once the child is initialised, so its exit code and stderr tell us whether the VM started.
/// </summary>
public sealed class QemuLauncher(IProcessRunner runner, string qemuBinary, TimeProvider time)
{
    /// <summary>Starts QEMU and returns the daemon's pid; writes QEMU's startup output to <paramref name="qemuLog"/>.</summary>
    public async Task<int> StartAsync(QemuLaunchConfig config, string qemuLog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var runDir = Path.GetDirectoryName(config.Paths.QmpSocket)!;
        Directory.CreateDirectory(runDir);
        foreach (var stale in new[] { config.Paths.QmpSocket, config.Paths.SerialSocket, config.Paths.VncSocket, config.Paths.PidFile })
        {
            File.Delete(stale);
        }

        var argv = QemuArgvBuilder.Build(config with { Daemonize = true });
        await File.AppendAllTextAsync(
            qemuLog,
            $"{time.GetUtcNow():O} starting: {qemuBinary} {string.Join(' ', argv.Select(Quote))}\n",
            cancellationToken);
        var result = await runner.RunAsync(new ProcessSpec(qemuBinary, argv) { Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);
        var output = (result.StandardError + result.StandardOutput).Trim();
        if (output.Length > 0)
        {
            await File.AppendAllTextAsync(qemuLog, output + "\n", cancellationToken);
        }

        if (!result.Succeeded)
        {
            // Warnings ("warning: ...") can precede the real error; report the first line that is not one.
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(StripTimestamp).ToList();
            var firstError = lines.FirstOrDefault(l => !l.Contains("warning:", StringComparison.Ordinal)) ?? lines.FirstOrDefault()
                ?? (result.TimedOut ? "timed out" : $"exit code {result.ExitCode}");
            throw new QemuStartException($"QEMU failed to start: {firstError}");
        }

        var pidText = await File.ReadAllTextAsync(config.Paths.PidFile, cancellationToken);
        return int.Parse(pidText.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>"2026-11-23T12:00:00.000000Z qemu-system-x86_64: -drive ...: Could not open" → the message after the timestamp.</summary>
    internal static string StripTimestamp(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && line.Length > 4 && char.IsAsciiDigit(line[0]) && line[4] == '-' ? line[(space + 1)..] : line;
    }

    private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) ? $"'{arg}'" : arg;
}
