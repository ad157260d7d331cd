using System.Net.Sockets;

namespace Hyperion.Server.Hosting;

/// <summary>What a failed HTTP call between Hyperion's servers says about whether the other side acted on it.</summary>
public static class HttpFailures
{
    /// <summary>
    /// No connection was ever made (refused, no route, name not resolved, TLS handshake failed): the other side surely
    /// never saw the request — unlike a timeout or a connection lost after sending.
    /// </summary>
    public static bool NeverConnected(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError };

    /// <summary>The connection was closed from the other side (its process died, or it dropped the request): not a timeout.</summary>
    public static bool ClosedByPeer(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded })
        {
            return true;
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
            {
                return true;
            }
        }

        return false;
    }
}
