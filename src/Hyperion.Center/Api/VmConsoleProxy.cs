using System.Net.WebSockets;
using Hyperion.Center.Hosts;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Center.Api;

/// <summary>
/// The Center's VM console: a websocket from the browser, relayed byte for byte to the VNC websocket of the VM's
/// host agent (which the Center reaches with its own trusted connection), so clients never talk to hosts directly.
/// </summary>
public static class VmConsoleProxy
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(HttpContext context, HostAgentClient host, string hostLocalId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(host);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new DomainException(ErrorCodes.InvalidArgument, "the VNC console is a websocket: connect with a websocket client (e.g. noVNC)");
        }

        using var upstream = await host.OpenVncConsoleAsync(hostLocalId, context.RequestAborted);
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null;
        using var downstream = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toClient = PumpAsync(upstream, downstream, done.Token);
        var toHost = PumpAsync(downstream, upstream, done.Token);
        await Task.WhenAny(toClient, toHost);
        await done.CancelAsync();
        await CloseAsync(downstream);
        await CloseAsync(upstream);
    }

    private static async Task PumpAsync(WebSocket from, WebSocket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Either side went away.
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "console closed", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // Already gone.
            }
        }
    }
}
