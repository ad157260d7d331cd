using System.Net.Sockets;
using Hyperion.Server.Hosting;

namespace Hyperion.Server.Tests.Hosting;

public sealed class HttpFailuresTests
{
    [Theory]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    [InlineData(HttpRequestError.SecureConnectionError, true)]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.Unknown, false)]
    public void NeverConnected_OnlyWhenNoConnectionWasMade(HttpRequestError error, bool expected) =>
        Assert.Equal(expected, HttpFailures.NeverConnected(new HttpRequestException(error, "failed")));

    [Fact]
    public void NeverConnected_TimeoutIsNotProof() =>
        Assert.False(HttpFailures.NeverConnected(new TaskCanceledException("no answer")));

    [Fact]
    public void ClosedByPeer_ResponseEndedOrResetInside_TimeoutNot()
    {
        Assert.True(HttpFailures.ClosedByPeer(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
        Assert.True(HttpFailures.ClosedByPeer(new HttpRequestException(HttpRequestError.Unknown, "io", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.False(HttpFailures.ClosedByPeer(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(HttpFailures.ClosedByPeer(new TaskCanceledException("no answer")));
    }
}
