using System.Diagnostics;

namespace Hyperion.Hypervisor.Qemu.Acceleration;

/// <summary>
/// Boots a probe guest under KVM with a deadline and reports whether it printed its boot marker in time.
/// /dev/kvm existing proves nothing: nested hosts abort on <c>-cpu host</c> or run guests 20x slower than TCG.
/// </summary>
public sealed class KvmProbe(string qemuBinary, TimeProvider timeProvider)
{
    public const string BootMarker = "hyperion-tiny boot";

    public async Task<KvmProbeResult> RunAsync(string kernel, string initrd, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(qemuBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-machine", "q35", "-accel", "kvm", "-cpu", "host", "-m", "64", "-smp", "1",
                     "-no-user-config", "-nodefaults", "-display", "none", "-serial", "stdio",
                     "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 quiet panic=-1 hyperion.probe=1",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        var started = timeProvider.GetTimestamp();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new KvmProbeResult(false, TimeSpan.Zero, $"cannot run {qemuBinary}: {ex.Message}");
        }

        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(deadline, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(linked.Token) is { } line)
            {
                if (line.Contains(BootMarker, StringComparison.Ordinal))
                {
                    return new KvmProbeResult(true, timeProvider.GetElapsedTime(started), "booted");
                }
            }

            await process.WaitForExitAsync(linked.Token);
            var error = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
            return new KvmProbeResult(false, timeProvider.GetElapsedTime(started), $"QEMU exited with {process.ExitCode}: {error}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new KvmProbeResult(false, timeProvider.GetElapsedTime(started), $"no boot marker within {deadline.TotalSeconds:F0} s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }
}
