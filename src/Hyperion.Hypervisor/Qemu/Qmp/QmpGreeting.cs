using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>The banner QEMU sends as soon as a QMP client connects.</summary>
/// <param name="Capabilities">Capabilities the server offers (e.g. "oob"); this client enables none of them.</param>
public sealed record QmpGreeting(QemuVersion Version, IReadOnlyList<string> Capabilities)
{
    /// <summary>Parses <c>{"QMP":{"version":{...},"capabilities":[...]}}</c>.</summary>
    /// <exception cref="InvalidDataException">The line is not a QMP greeting (wrong socket, or not QEMU).</exception>
    internal static QmpGreeting Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            if (!document.RootElement.TryGetProperty("QMP", out var qmp))
            {
                throw new InvalidDataException("Expected a QMP greeting, got: " + Truncate(line));
            }

            var capabilities = new List<string>();
            if (qmp.TryGetProperty("capabilities", out var caps) && caps.ValueKind == JsonValueKind.Array)
            {
                foreach (var cap in caps.EnumerateArray())
                {
                    capabilities.Add(cap.GetString() ?? string.Empty);
                }
            }

            return new QmpGreeting(QemuVersion.FromJson(qmp.GetProperty("version")), capabilities);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("Malformed QMP greeting: " + Truncate(line), ex);
        }
    }

    private static string Truncate(ReadOnlySpan<byte> line)
    {
        var text = System.Text.Encoding.UTF8.GetString(line);
        return text.Length <= 200 ? text : text[..200] + "...";
    }
}
