using Hyperion.Host.Vms;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Vms;

public sealed class DeltaDiskNameTests
{
    [Fact]
    public void NextDeltaName_CountsOnFromTheBaseName_SkippingTakenNumbers()
    {
        using var dir = new TestDirectory("hy-delta");
        Assert.Equal(Path.Combine(dir.Path, "web-disk0-000001.qcow2"), VmService.NextDeltaName(dir.Path, Path.Combine(dir.Path, "web-disk0.qcow2")));

        File.WriteAllText(Path.Combine(dir.Path, "web-disk0-000001.qcow2"), string.Empty);
        File.WriteAllText(Path.Combine(dir.Path, "web-disk0-000002.qcow2"), string.Empty);
        Assert.Equal(Path.Combine(dir.Path, "web-disk0-000003.qcow2"), VmService.NextDeltaName(dir.Path, Path.Combine(dir.Path, "web-disk0-000002.qcow2")));

        // A raw disk's delta is a qcow2; a name that merely ends in digits keeps them.
        Assert.Equal(Path.Combine(dir.Path, "data-2024-000001.qcow2"), VmService.NextDeltaName(dir.Path, Path.Combine(dir.Path, "data-2024.raw")));
    }
}
