using System.Text;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Status;

/// <summary>What <c>hyperion lab status</c> shows: the lab's servers (alive? connected?) and its VMs, from the Center.</summary>
public sealed record LabStatusReport(
    string Name,
    string Directory,
    string Subnet,
    LabPhase Phase,
    LabProcessStatus Center,
    IReadOnlyList<LabProcessStatus> Hosts,
    IReadOnlyList<LabVmStatus> Vms,
    string? CenterError)
{
    private static readonly string[] ServerHeader = ["SERVER", "URL", "PID", "PROCESS", "IN CENTER"];
    private static readonly string[] VmHeader = ["VM", "ID", "HOST", "POWER"];
    private static readonly string[] EtcdHeader = ["ETCD MEMBER", "CLIENT URL", "PID", "PROCESS", "HEALTH"];

    /// <summary>The etcd members (empty for a lab without etcd).</summary>
    public IReadOnlyList<LabEtcdMemberStatus> EtcdMembers { get; init; } = [];

    /// <summary>True when a <c>lab fault</c> is in effect on some host.</summary>
    public bool HasFaults => Hosts.Any(h => h.Faults.Count > 0);

    /// <summary>Built, every process alive, the Center answering, every host connected, every etcd member healthy, no fault in effect.</summary>
    public bool IsHealthy =>
        Phase == LabPhase.Running && Center.Alive && CenterError is null && Hosts.All(h => h.Alive && h.ConnectionState == "connected")
        && EtcdMembers.All(m => m.Alive && m.Healthy == true) && !HasFaults;

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("lab '").Append(Name).Append("' (").Append(Phase == LabPhase.Running ? "running" : "starting, or left by an interrupted 'lab up'")
            .Append(") in ").Append(Directory).Append(", subnet ").Append(Subnet).Append('\n');
        // The FAULTS column only while a fault is in effect: the everyday table stays as narrow as it was.
        var faults = HasFaults;
        var rows = new List<string[]> { faults ? [.. ServerHeader, "FAULTS"] : ServerHeader };
        var centerInCenter = CenterError is null ? "-" : "not answering";
        rows.Add(faults ? [Center.Name, Center.Url, Pid(Center), Center.Alive ? "running" : "gone", centerInCenter, "-"] : [Center.Name, Center.Url, Pid(Center), Center.Alive ? "running" : "gone", centerInCenter]);
        rows.AddRange(Hosts.Select(h =>
        {
            string[] row =
            [
                h.Name, h.Url, Pid(h), h.Alive ? "running" : "gone",
                h.ConnectionState is null ? "unknown" : h.CenterId is null ? h.ConnectionState : $"{h.ConnectionState} ({h.CenterId})",
            ];
            return faults ? [.. row, h.Faults.Count == 0 ? "-" : string.Join(",", h.Faults)] : row;
        }));
        AppendTable(text, rows);
        if (EtcdMembers.Count > 0)
        {
            var members = new List<string[]> { EtcdHeader };
            members.AddRange(EtcdMembers.Select(m => new[]
            {
                m.Name, m.ClientUrl, m.Pid > 0 ? m.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-", m.Alive ? "running" : "gone",
                m.Healthy switch { true => "healthy", false => "unhealthy", null => "-" },
            }));
            AppendTable(text, members);
        }

        text.Append("Center credentials and fingerprint: ").Append(Planning.LabPaths.EnvFile(Directory))
            .Append(" (set -a; . ").Append(Planning.LabPaths.EnvFile(Directory)).Append("; set +a)\n");
        if (CenterError is not null)
        {
            text.Append("the Center did not answer: ").Append(CenterError).Append('\n');
            return text.ToString();
        }

        text.Append('\n');
        if (Vms.Count == 0)
        {
            text.Append("no VMs\n");
            return text.ToString();
        }

        var vms = new List<string[]> { VmHeader };
        vms.AddRange(Vms.Select(v => new[] { v.Name, v.Id, v.Host ?? "-", v.PowerState }));
        AppendTable(text, vms);
        return text.ToString();
    }

    private static string Pid(LabProcessStatus process) => process.Pid > 0 ? process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static void AppendTable(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        }
    }
}
