using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>The result of <c>qemu-img check</c>.</summary>
/// <param name="Corruptions">Metadata errors that can lose data.</param>
/// <param name="Leaks">Allocated but unreferenced clusters: wasted space only.</param>
/// <param name="CheckErrors">Errors that stopped the check from looking at parts of the image.</param>
public sealed record QemuImageCheck(long Corruptions, long Leaks, long CheckErrors)
{
    /// <summary>No corruption and the check was complete; leaks are harmless.</summary>
    public bool IsConsistent => Corruptions == 0 && CheckErrors == 0;

    /// <exception cref="InvalidDataException">The text is not a check report.</exception>
    internal static QemuImageCheck Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new QemuImageCheck(Count(root, "corruptions"), Count(root, "leaks"), Count(root, "check-errors"));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("qemu-img check printed JSON this parser does not understand.", ex);
        }
    }

    // qemu-img omits zero counters.
    private static long Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
