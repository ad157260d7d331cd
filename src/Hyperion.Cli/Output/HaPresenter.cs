using System.Globalization;
using Hyperion.Contracts.Center;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for a cluster's HA: settings, master, hosts, protected VMs, admission control.</summary>
internal static class HaPresenter
{
    public static string Describe(ClusterHaDto ha)
    {
        ArgumentNullException.ThrowIfNull(ha);
        return $"{ha.HostFailuresTolerated} host failure(s) tolerated, isolation response {ha.IsolationResponse}, VM monitoring {(ha.VmMonitoring ? "on" : "off")}, "
            + $"heartbeat datastores {(ha.HeartbeatDatastores.Count == 0 ? "none" : string.Join(", ", ha.HeartbeatDatastores))}";
    }

    public static void WriteStatus(IAnsiConsole console, ClusterHaStatusDto status)
    {
        ArgumentNullException.ThrowIfNull(status);
        console.WriteLine($"Cluster {status.ClusterName} ({status.ClusterId}): HA {(status.Settings.Enabled ? "enabled" : "disabled")}; {Describe(status.Settings)}");
        var names = status.Hosts.ToDictionary(h => h.HostId, h => h.HostName, StringComparer.Ordinal);
        console.WriteLine($"Master: {(status.MasterHostId is { } master ? HostLabel(master, names) : "none")}");

        if (status.Hosts.Count == 0)
        {
            console.WriteLine("No hosts.");
        }
        else
        {
            var hosts = new Table().AddColumns("Host", "Id", "HA state", "Lease", "Heartbeat age", "Free memory", "Protected VMs");
            foreach (var host in status.Hosts)
            {
                hosts.AddRow(
                    new Text(host.HostName),
                    new Text(host.HostId),
                    new Text(host.Master ? $"{host.State} (master)" : host.State),
                    new Text(host.LeaseHeld ? "held" : "-"),
                    new Text(host.HeartbeatAgeMs is { } age ? FormatAge(age) : "-"),
                    new Text(ByteSize.FormatMiB(host.FreeMemoryMiB)),
                    new Text(host.ProtectedVms.ToString(CultureInfo.InvariantCulture)));
            }

            console.Write(hosts);
        }

        if (status.Vms.Count == 0)
        {
            console.WriteLine("No protected VMs.");
        }
        else
        {
            var vms = new Table().AddColumns("VM", "Host", "Restart priority", "Protection", "Memory", "Message");
            foreach (var vm in status.Vms)
            {
                vms.AddRow(
                    new Text(vm.Name),
                    new Text(HostLabel(vm.HostId, names)),
                    new Text(vm.RestartPriority),
                    new Text(vm.Protection),
                    new Text(ByteSize.FormatMiB(vm.MemoryMiB)),
                    new Text(vm.Message ?? string.Empty));
            }

            console.Write(vms);
        }

        if (status.Admission is { } admission)
        {
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Admission control ({admission.HostFailuresTolerated} host failure(s)): total {ByteSize.FormatMiB(admission.TotalMemoryMiB)}, reserved {ByteSize.FormatMiB(admission.ReservedMemoryMiB)}, protected {ByteSize.FormatMiB(admission.ProtectedMemoryMiB)}, available {ByteSize.FormatMiB(admission.AvailableMemoryMiB)}"));
        }
    }

    private static string HostLabel(string id, Dictionary<string, string> names) =>
        names.TryGetValue(id, out var name) && name != id ? $"{name} ({id})" : id;

    private static string FormatAge(long milliseconds) =>
        milliseconds < 1000 ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms") : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.#} s");
}
