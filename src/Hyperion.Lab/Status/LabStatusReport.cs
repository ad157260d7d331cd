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

    /// <summary>Built, every process alive, the Center answering, every host connected.</summary>
    public bool IsHealthy =>
        Phase == LabPhase.Running && Center.Alive && CenterError is null && Hosts.All(h => h.Alive && h.ConnectionState == "connected");

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("lab '").Append(Name).Append("' (").Append(Phase == LabPhase.Running ? "running" : "starting, or left by an interrupted 'lab up'")
            .Append(") in ").Append(Directory).Append(", subnet ").Append(Subnet).Append('\n');
        var rows = new List<string[]> { ServerHeader };
        rows.Add([Center.Name, Center.Url, Pid(Center), Center.Alive ? "running" : "gone", CenterError is null ? "-" : "not answering"]);
        rows.AddRange(Hosts.Select(h => new[]
        {
            h.Name, h.Url, Pid(h), h.Alive ? "running" : "gone",
            h.ConnectionState is null ? "unknown" : h.CenterId is null ? h.ConnectionState : $"{h.ConnectionState} ({h.CenterId})",
        }));
        AppendTable(text, rows);
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
