using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Hosts;

/// <summary>Reads CPU, memory and QEMU facts of this machine.</summary>
public sealed class HostHardwareProbe(IProcessRunner runner, string qemuBinary)
{
    public async Task<HostHardware> ProbeAsync(CancellationToken cancellationToken)
    {
        var cpuinfo = await File.ReadAllTextAsync("/proc/cpuinfo", cancellationToken);
        var (model, flags) = ParseCpuInfo(cpuinfo);
        var meminfo = await File.ReadAllTextAsync("/proc/meminfo", cancellationToken);
        var version = await runner.RunAsync(new ProcessSpec(qemuBinary, ["--version"]) { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken);
        var qemuVersion = version.Succeeded ? ParseQemuVersion(version.StandardOutput) : "unavailable";
        return new HostHardware(model, flags, Environment.ProcessorCount, ParseMeminfoKiB(meminfo, "MemTotal") / 1024, qemuVersion, File.Exists("/dev/kvm"));
    }

    public static long ReadAvailableMemoryMiB()
    {
        try
        {
            return ParseMeminfoKiB(File.ReadAllText("/proc/meminfo"), "MemAvailable") / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    internal static (string Model, IReadOnlyList<string> Flags) ParseCpuInfo(string cpuinfo)
    {
        string model = "unknown";
        string[] flags = [];
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "model name" && model == "unknown")
            {
                model = value;
            }
            else if (key == "flags" && flags.Length == 0)
            {
                flags = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return (model, flags);
    }

    internal static long ParseMeminfoKiB(string meminfo, string key)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                var parts = line[(key.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>"QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)" → "7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)".</summary>
    internal static string ParseQemuVersion(string output)
    {
        const string prefix = "QEMU emulator version ";
        var first = output.Split('\n')[0].Trim();
        return first.StartsWith(prefix, StringComparison.Ordinal) ? first[prefix.Length..] : first;
    }
}
