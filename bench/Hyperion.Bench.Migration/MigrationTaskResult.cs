using System.Text.Json;

namespace Hyperion.Bench.Migration;

/// <summary>
/// The numbers a successful migrate task carries in its <c>result</c> (camelCase): <c>downtimeMs</c>, <c>totalTimeMs</c>,
/// <c>bytesTransferred</c>, <c>passes</c> — the source QEMU's own figures, as the raw baseline's come from query-migrate.
/// </summary>
internal static class MigrationTaskResult
{
    /// <summary>Fills the migrator's numbers of <paramref name="measurement"/> from <paramref name="result"/>, or sets its error naming what is missing.</summary>
    public static MigrationMeasurement Read(JsonElement? result, MigrationMeasurement measurement)
    {
        if (result is not { ValueKind: JsonValueKind.Object } json)
        {
            return measurement with { Error = $"the migrate task has no result object (got {result?.ValueKind.ToString() ?? "none"})" };
        }

        var missing = new List<string>();
        double Number(string name)
        {
            if (json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                return value.GetDouble();
            }

            missing.Add(name);
            return 0;
        }

        var read = measurement with
        {
            DowntimeMs = Number("downtimeMs"),
            TotalTimeMs = Number("totalTimeMs"),
            BytesTransferred = (long)Number("bytesTransferred"),
            Passes = (long)Number("passes"),
            QemuDowntimeMs = json.TryGetProperty("qemuDowntimeMs", out var q) && q.ValueKind == JsonValueKind.Number ? q.GetDouble() : null,
            SwitchOverMs = json.TryGetProperty("switchOverMs", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null,
            SwitchoverArmed = json.TryGetProperty("switchoverArmed", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null,
        };
        if (json.TryGetProperty("downtimeFromVcpuEvents", out var fromEvents) && fromEvents.ValueKind == JsonValueKind.True)
        {
            read = read with { GuestPauseMs = read.DowntimeMs };
        }

        return missing.Count == 0 ? read : read with { Error = $"the migrate task's result lacks {string.Join(", ", missing)}: {json.GetRawText()}" };
    }
}
