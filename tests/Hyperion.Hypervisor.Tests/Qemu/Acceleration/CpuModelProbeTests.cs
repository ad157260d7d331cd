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
    public async Task SweepOrphans_KillsTheProbeLeftBehindAndDeletesOldDirectories_LeavesRecentOnesAndOthers()
    {
        var root = Directory.CreateTempSubdirectory("cpu-sweep-");
        System.Diagnostics.Process? orphan = null;
        try
        {
            var now = DateTime.UtcNow;
            var old = Directory.CreateDirectory(Path.Combine(root.FullName, "hyperion-cpu-old"));
            var alive = Directory.CreateDirectory(Path.Combine(root.FullName, "hyperion-cpu-alive"));
            var recent = Directory.CreateDirectory(Path.Combine(root.FullName, "hyperion-cpu-recent"));
            var other = Directory.CreateDirectory(Path.Combine(root.FullName, "something-else"));

            // A stand-in for the probe QEMU of a killed agent: its command line names its directory, as QEMU's does.
            var socket = Path.Combine(alive.FullName, "qmp.sock");
            await File.WriteAllTextAsync(socket, string.Empty);
            orphan = System.Diagnostics.Process.Start("tail", ["-f", socket])!;
            await File.WriteAllTextAsync(Path.Combine(alive.FullName, "qemu.pid"), orphan.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await File.WriteAllTextAsync(Path.Combine(old.FullName, "qemu.pid"), "999999");
            foreach (var dir in new[] { old, alive, other })
            {
                Directory.SetLastWriteTimeUtc(dir.FullName, now.AddMinutes(-30));
            }

            Assert.Equal(2, CpuModelProbe.SweepOrphans(root.FullName, now));
            Assert.True(orphan.WaitForExit(5000), "the orphaned probe was killed");
            Assert.False(Directory.Exists(old.FullName));
            Assert.False(Directory.Exists(alive.FullName));
            Assert.True(Directory.Exists(recent.FullName), "a probe running now is left alone");
            Assert.True(Directory.Exists(other.FullName));
        }
        finally
        {
            if (orphan is { HasExited: false })
            {
                orphan.Kill();
            }

            orphan?.Dispose();
            root.Delete(recursive: true);
        }
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
