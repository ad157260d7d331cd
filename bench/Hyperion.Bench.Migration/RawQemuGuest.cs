using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// One QEMU of the raw baseline, started directly (no Hyperion code) with the tiny guest: serial to a file, QMP on a
/// unix socket. Dispose kills it by PID.
/// </summary>
internal sealed class RawQemuGuest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private RawQemuGuest(Process process, string serialLog, string qmpSocket)
    {
        _process = process;
        SerialLog = serialLog;
        QmpSocket = qmpSocket;
    }

    public string SerialLog { get; }

    public string QmpSocket { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <param name="name">File prefix in <paramref name="directory"/> (<c>src</c>, <c>dst</c>).</param>
    /// <param name="incoming">Start as a migration destination: <c>-incoming defer</c> (running once the stream ends).</param>
    public static RawQemuGuest Start(string directory, string name, GuestWorkload workload, string baseCmdline, bool incoming)
    {
        var serial = Path.Combine(directory, name + ".log");
        var qmp = Path.Combine(directory, name + ".qmp");
        var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] argv =
        [
            "-accel", "tcg,thread=multi", "-cpu", "max", "-machine", "q35",
            "-m", ((workload.SizeMiB * 1024L) + Hyperion.Hypervisor.Qemu.Launch.QemuArgvBuilder.TcgMigrationSafetyKiB).ToString(CultureInfo.InvariantCulture) + "k", "-nodefaults", "-display", "none",
            "-kernel", TinyGuest.Kernel, "-initrd", TinyGuest.Initrd,
            "-append", workload.KernelArgs is { } args ? $"{baseCmdline} {args}" : baseCmdline,
            "-serial", $"file:{serial}",
            "-qmp", $"unix:{qmp},server=on,wait=off",

            // The same virtual hardware Hyperion gives the guest (its web console's VGA + VNC server, the RTC): the VGA
            // device's state and video memory alone add ~25 ms to a migration's pause here.
            "-rtc", "base=utc", "-device", "VGA,id=video0", "-vnc", $"unix:{Path.Combine(directory, name + ".vnc")}",
            .. incoming ? (string[])["-incoming", "defer"] : [],
        ];
        foreach (var arg in argv)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("qemu-system-x86_64 did not start");
        var guest = new RawQemuGuest(process, serial, qmp);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (guest._stderr)
                {
                    guest._stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return guest;
    }

    /// <summary>The serial log so far (empty before QEMU created it).</summary>
    public string ReadSerial()
    {
        if (!File.Exists(SerialLog))
        {
            return string.Empty;
        }

        using var stream = new FileStream(SerialLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
