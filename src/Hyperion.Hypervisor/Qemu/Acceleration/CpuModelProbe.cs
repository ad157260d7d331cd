using System.Diagnostics;
using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu.Acceleration;

/// <summary>
/// Asks QEMU which named CPU models run on this host with the chosen accelerator (<c>query-cpu-definitions</c> on a
/// QEMU without a machine: a model is usable when it has no unavailable features). A cluster CPU baseline (EVC-like)
/// must be one every host of the cluster can run; <c>host</c>, <c>max</c> and <c>base</c> are never baselines (they
/// differ from host to host, or are not migration-safe).
/// </summary>
public sealed class CpuModelProbe(string qemuBinary)
{
    private const string DirectoryPrefix = "hyperion-cpu-";
    private const string PidFile = "qemu.pid";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A probe directory this old belongs to no running probe (each gives up after <see cref="Deadline"/>).</summary>
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<string>> UsableModelsAsync(string accelerator, CancellationToken cancellationToken)
    {
        // An agent killed in the middle of a probe left its QEMU and directory behind: clear them first.
        SweepOrphans(Path.GetTempPath(), DateTime.UtcNow);
        var dir = Directory.CreateTempSubdirectory(DirectoryPrefix);
        var socket = Path.Combine(dir.FullName, "qmp.sock");
        var psi = new ProcessStartInfo(qemuBinary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-machine", "none", "-accel", accelerator, "-nodefaults", "-display", "none", "-S", "-qmp", $"unix:{socket},server=on,wait=off", "-pidfile", Path.Combine(dir.FullName, PidFile) })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = psi };
        var started = false;
        try
        {
            process.Start();
            started = true;
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            await using var qmp = await QmpClient.ConnectAsync(socket, Deadline, cancellationToken);
            var definitions = await qmp.ExecuteAsync("query-cpu-definitions", timeout: Deadline, cancellationToken: cancellationToken);
            return Usable(definitions);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or TimeoutException or QmpDisconnectedException or QmpCommandException or System.Net.Sockets.SocketException)
        {
            // No list: no baseline can be checked against this host (reported as none usable).
            return [];
        }
        finally
        {
            if (started && !process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Deletes probe directories under <paramref name="tempRoot"/> older than <see cref="OrphanAge"/>, first killing the
    /// process their pidfile names when that process is still the probe (its command line names the directory).
    /// </summary>
    public static int SweepOrphans(string tempRoot, DateTime nowUtc)
    {
        var swept = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(tempRoot, DirectoryPrefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var dir in candidates)
        {
            try
            {
                if (nowUtc - Directory.GetLastWriteTimeUtc(dir) < OrphanAge)
                {
                    continue;
                }

                var pidfile = Path.Combine(dir, PidFile);
                if (File.Exists(pidfile) && int.TryParse(File.ReadAllText(pidfile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid)
                    && File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(dir, StringComparison.Ordinal))
                {
                    using var orphan = Process.GetProcessById(pid);
                    orphan.Kill();
                    orphan.WaitForExit(5000);
                }

                Directory.Delete(dir, recursive: true);
                swept++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to remove: left alone.
            }
        }

        return swept;
    }

    /// <summary>The migration-safe models of a <c>query-cpu-definitions</c> answer with no unavailable features, sorted.</summary>
    public static IReadOnlyList<string> Usable(JsonElement definitions)
    {
        var names = new List<string>();
        if (definitions.ValueKind != JsonValueKind.Array)
        {
            return names;
        }

        foreach (var definition in definitions.EnumerateArray())
        {
            var name = definition.TryGetProperty("name", out var n) ? n.GetString() : null;
            var safe = definition.TryGetProperty("migration-safe", out var m) && m.ValueKind == JsonValueKind.True;
            var unavailable = definition.TryGetProperty("unavailable-features", out var u) && u.ValueKind == JsonValueKind.Array && u.GetArrayLength() > 0;
            if (name is not null && safe && !unavailable && name is not ("host" or "max" or "base"))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
