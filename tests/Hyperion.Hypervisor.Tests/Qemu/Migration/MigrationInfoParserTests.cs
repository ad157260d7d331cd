using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Migration;

namespace Hyperion.Hypervisor.Tests.Qemu.Migration;

public sealed class MigrationInfoParserTests
{
    [Fact]
    public void Parse_ActiveMigration_ReadsQemuFields()
    {
        using var doc = JsonDocument.Parse("""
            {"status":"active","total-time":1200,"expected-downtime":42,"setup-time":3,"cpu-throttle-percentage":20,
             "ram":{"total":268435456,"transferred":100000000,"remaining":5000000,"dirty-pages-rate":1000,"page-size":4096,"dirty-sync-count":4}}
            """);
        var p = MigrationInfoParser.Parse(doc.RootElement);
        Assert.Equal("active", p.Status);
        Assert.Equal((268435456L, 100000000L, 5000000L), (p.TotalBytes, p.TransferredBytes, p.RemainingBytes));
        Assert.Equal(4096000, p.DirtyRateBytesPerSecond);
        Assert.Equal(4, p.Passes);
        Assert.Equal((42L, 1200L, 20), (p.ExpectedDowntimeMs!.Value, p.TotalTimeMs!.Value, p.ThrottlePercent));
        Assert.False(p.IsFinished);
    }

    [Fact]
    public void Parse_Failed_CarriesTheError()
    {
        using var doc = JsonDocument.Parse("""{"status":"failed","error-desc":"Unable to write to socket: Connection reset by peer"}""");
        var p = MigrationInfoParser.Parse(doc.RootElement);
        Assert.True(p.IsFinished);
        Assert.Contains("Connection reset", p.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoMigration_IsNone()
    {
        using var doc = JsonDocument.Parse("{}");
        Assert.Equal("none", MigrationInfoParser.Parse(doc.RootElement).Status);
    }

    [Fact]
    public void ListeningPort_FromTheDestinationsSocketAddress()
    {
        using var doc = JsonDocument.Parse("""{"status":"setup","socket-address":[{"type":"inet","host":"127.0.0.1","port":"40123"}]}""");
        Assert.Equal(40123, MigrationInfoParser.ListeningPort(doc.RootElement));
    }
}
