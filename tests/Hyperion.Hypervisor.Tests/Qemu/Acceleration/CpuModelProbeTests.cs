using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Acceleration;

namespace Hyperion.Hypervisor.Tests.Qemu.Acceleration;

public sealed class CpuModelProbeTests
{
    [Fact]
    public void Usable_KeepsMigrationSafeModelsWithoutMissingFeatures_NeverHostMaxOrBase()
    {
        // Shaped like QEMU 7.2's query-cpu-definitions under TCG.
        using var doc = JsonDocument.Parse("""
            [
              {"name": "Westmere-v1", "unavailable-features": [], "migration-safe": true, "static": false},
              {"name": "Haswell-v1", "unavailable-features": ["pcid", "x2apic"], "migration-safe": true, "static": false},
              {"name": "max", "unavailable-features": [], "migration-safe": false, "static": false},
              {"name": "base", "unavailable-features": [], "migration-safe": true, "static": true},
              {"name": "Nehalem", "unavailable-features": [], "migration-safe": true, "static": false, "alias-of": "Nehalem-v1"},
              {"name": "odd", "migration-safe": true}
            ]
            """);
        Assert.Equal(["Nehalem", "Westmere-v1", "odd"], CpuModelProbe.Usable(doc.RootElement));
    }

    [Fact]
    public async Task UsableModelsAsync_RealQemuUnderTcg_ListsAnOldModelNotAVeryNewOne()
    {
        var models = await new CpuModelProbe("qemu-system-x86_64").UsableModelsAsync("tcg", CancellationToken.None);
        Assert.Contains("qemu64", models);
        Assert.DoesNotContain("max", models);
        Assert.DoesNotContain("Cascadelake-Server-v1", models);
    }

    [Fact]
    public async Task UsableModelsAsync_NoQemu_ReportsNone()
    {
        var models = await new CpuModelProbe("/nonexistent/qemu").UsableModelsAsync("tcg", CancellationToken.None);
        Assert.Empty(models);
    }
}
