using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>What <c>qemu-img info --output=json</c> reports about one image (not its backing chain).</summary>
/// <param name="Format">"qcow2", "raw", ...</param>
/// <param name="VirtualSizeBytes">The disk size the guest sees.</param>
/// <param name="ActualSizeBytes">Bytes allocated on the host; null when the protocol cannot tell.</param>
/// <param name="BackingFilename">The backing file as recorded in the image (may be relative to the image).</param>
/// <param name="FullBackingFilename">The backing file resolved by QEMU.</param>
/// <param name="ClusterSizeBytes">qcow2 cluster size; null for formats without clusters.</param>
/// <param name="DirtyFlag">True when the image was not closed cleanly (qcow2 lazy refcounts).</param>
public sealed record QemuImageInfo(
    string Filename,
    string Format,
    long VirtualSizeBytes,
    long? ActualSizeBytes,
    string? BackingFilename,
    string? FullBackingFilename,
    string? BackingFormat,
    long? ClusterSizeBytes,
    bool DirtyFlag,
    IReadOnlyList<QemuImageSnapshot> Snapshots)
{
    /// <summary>Parses the JSON object printed by <c>qemu-img info --output=json</c>.</summary>
    /// <exception cref="InvalidDataException">The text is not such an object.</exception>
    internal static QemuImageInfo Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var snapshots = new List<QemuImageSnapshot>();
            if (root.TryGetProperty("snapshots", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in list.EnumerateArray())
                {
                    snapshots.Add(new QemuImageSnapshot(
                        s.GetProperty("id").GetString() ?? string.Empty,
                        s.GetProperty("name").GetString() ?? string.Empty,
                        OptionalInt64(s, "vm-state-size") ?? 0,
                        DateTimeOffset.FromUnixTimeSeconds(OptionalInt64(s, "date-sec") ?? 0)
                            .AddTicks((OptionalInt64(s, "date-nsec") ?? 0) / 100),
                        TimeSpan.FromSeconds(OptionalInt64(s, "vm-clock-sec") ?? 0)
                            + TimeSpan.FromTicks((OptionalInt64(s, "vm-clock-nsec") ?? 0) / 100)));
                }
            }

            return new QemuImageInfo(
                OptionalString(root, "filename") ?? string.Empty,
                root.GetProperty("format").GetString() ?? string.Empty,
                root.GetProperty("virtual-size").GetInt64(),
                OptionalInt64(root, "actual-size"),
                OptionalString(root, "backing-filename"),
                OptionalString(root, "full-backing-filename"),
                OptionalString(root, "backing-filename-format"),
                OptionalInt64(root, "cluster-size"),
                root.TryGetProperty("dirty-flag", out var dirty) && dirty.ValueKind == JsonValueKind.True,
                snapshots);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("qemu-img info printed JSON this parser does not understand.", ex);
        }
    }

    private static long? OptionalInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
