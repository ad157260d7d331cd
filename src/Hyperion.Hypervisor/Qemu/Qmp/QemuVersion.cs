using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>The QEMU version as QMP reports it, in the greeting and from <c>query-version</c>.</summary>
/// <param name="Package">Distribution build string, e.g. "Debian 1:7.2+dfsg-7"; empty for upstream builds.</param>
public sealed record QemuVersion(int Major, int Minor, int Micro, string Package)
{
    public override string ToString() => $"{Major}.{Minor}.{Micro}";

    /// <summary>Reads the <c>{"qemu":{"major","minor","micro"},"package"}</c> object shared by the greeting and query-version.</summary>
    internal static QemuVersion FromJson(JsonElement version)
    {
        var qemu = version.GetProperty("qemu");
        var package = version.TryGetProperty("package", out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString() ?? string.Empty
            : string.Empty;
        return new QemuVersion(
            qemu.GetProperty("major").GetInt32(),
            qemu.GetProperty("minor").GetInt32(),
            qemu.GetProperty("micro").GetInt32(),
            package.Trim());
    }
}
