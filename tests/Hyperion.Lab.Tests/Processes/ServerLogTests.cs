using Hyperion.Lab.Processes;

namespace Hyperion.Lab.Tests.Processes;

public sealed class ServerLogTests
{
    private const string AgentLog = """
        hyperion host agent listening on https://10.99.0.11:8443
        certificate fingerprint (SHA-256): ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89
        acceleration: tcg — forced by --accel tcg

        """;

    [Fact]
    public void FindFingerprint_AgentStartLines_NormalisedWithColons()
    {
        Assert.Equal(
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
            ServerLog.FindFingerprint(AgentLog));
        Assert.True(ServerLog.HasLine(AgentLog, ServerLog.HostReadyPrefix));
        Assert.False(ServerLog.HasLine(AgentLog, ServerLog.CenterReadyPrefix));
        Assert.Equal("tcg — forced by --accel tcg", ServerLog.FindAcceleration(AgentLog));
    }

    [Fact]
    public void IsReady_ListeningLineWithoutFingerprintYet_NotReady()
    {
        Assert.False(ServerLog.IsReady("hyperion center listening on https://10.99.0.1:9443\n", ServerLog.CenterReadyPrefix));
        Assert.True(ServerLog.IsReady(AgentLog, ServerLog.HostReadyPrefix));
        Assert.False(ServerLog.IsReady(AgentLog, ServerLog.CenterReadyPrefix));
    }

    [Fact]
    public void FindFingerprint_NotYetPrintedOrGarbage_Null()
    {
        Assert.Null(ServerLog.FindFingerprint("hyperion host agent listening on https://10.99.0.11:8443\n"));
        Assert.Null(ServerLog.FindFingerprint("certificate fingerprint (SHA-256): nope\n"));
        Assert.Null(ServerLog.FindAcceleration(string.Empty));
    }

    [Fact]
    public void Tail_LongLog_LastNonEmptyLines()
    {
        Assert.Equal("c\nd", ServerLog.Tail("a\nb\n\nc\r\nd\n\n", 2));
    }
}
