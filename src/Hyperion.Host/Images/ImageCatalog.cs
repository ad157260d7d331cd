using System.Text.Json;
using Hyperion.Domain.Errors;

namespace Hyperion.Host.Images;

/// <summary>Built-in boot images. Today: <c>tiny</c>, the busybox guest built by tools/tiny-guest/build.sh.</summary>
public sealed class ImageCatalog(HostAgentOptions options)
{
    public const string Tiny = "tiny";

    public BootImage? TryGetTiny()
    {
        var dir = options.ResolveTinyGuestDirectory();
        var manifest = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        var root = doc.RootElement;
        string Field(string name, string fallback) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        var kernel = Path.Combine(dir, Field("kernel", "vmlinux"));
        var initrd = Path.Combine(dir, Field("initrd", "initramfs.cpio.gz"));
        return File.Exists(kernel) && File.Exists(initrd) ? new BootImage(Tiny, kernel, initrd, Field("cmdline", "console=ttyS0")) : null;
    }

    public BootImage GetTiny() => TryGetTiny()
        ?? throw new DomainException(ErrorCodes.ImageNotFound, $"the tiny guest is not built (looked in {options.ResolveTinyGuestDirectory()}): run tools/tiny-guest/build.sh");
}
