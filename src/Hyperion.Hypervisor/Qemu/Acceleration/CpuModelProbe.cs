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
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<string>> UsableModelsAsync(string accelerator, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("hyperion-cpu-");
        var socket = Path.Combine(dir.FullName, "qmp.sock");
        var psi = new ProcessStartInfo(qemuBinary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-machine", "none", "-accel", accelerator, "-nodefaults", "-display", "none", "-S", "-qmp", $"unix:{socket},server=on,wait=off" })
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
