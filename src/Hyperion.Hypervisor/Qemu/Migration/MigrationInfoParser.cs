using System.Text.Json;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Hypervisor.Qemu.Migration;

/// <summary>Reads QMP <c>query-migrate</c>'s MigrationInfo (QEMU 7.2 field names) into a <see cref="VmMigrationProgress"/>.</summary>
public static class MigrationInfoParser
{
    public static VmMigrationProgress Parse(JsonElement info)
    {
        if (info.ValueKind != JsonValueKind.Object)
        {
            return new VmMigrationProgress("none");
        }

        var status = info.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "none";
        var ram = info.TryGetProperty("ram", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var pageSize = Long(ram, "page-size") ?? 4096;
        return new VmMigrationProgress(status)
        {
            TotalBytes = Long(ram, "total") ?? 0,
            TransferredBytes = Long(ram, "transferred") ?? 0,
            RemainingBytes = Long(ram, "remaining") ?? 0,
            DirtyRateBytesPerSecond = (Long(ram, "dirty-pages-rate") ?? 0) * pageSize,
            Passes = Long(ram, "dirty-sync-count") ?? 0,
            ExpectedDowntimeMs = Long(info, "expected-downtime"),
            DowntimeMs = Long(info, "downtime"),
            TotalTimeMs = Long(info, "total-time"),
            SetupTimeMs = Long(info, "setup-time"),
            ThrottlePercent = (int)(Long(info, "cpu-throttle-percentage") ?? 0),
            Error = info.TryGetProperty("error-desc", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null,
        };
    }

    /// <summary>The TCP port an incoming migration listens on (<c>socket-address</c> of the destination's query-migrate).</summary>
    public static int? ListeningPort(JsonElement info)
    {
        if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("socket-address", out var addresses) || addresses.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var address in addresses.EnumerateArray())
        {
            if (address.TryGetProperty("port", out var port))
            {
                var text = port.ValueKind == JsonValueKind.String ? port.GetString() : port.ToString();
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }

        return null;
    }

    private static long? Long(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
