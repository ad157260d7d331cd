using System.Net.Sockets;
using System.Net.WebSockets;
using Hyperion.Domain.Errors;
using Hyperion.Host.Vms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

/// <summary>
/// The graphical console: a websocket carrying the raw RFB (VNC) stream of the VM's QEMU. QEMU cannot serve websockets
/// on a unix socket, so the agent bridges them itself (the same framing noVNC's websockify uses: binary messages).
/// </summary>
public static class ConsoleApi
{
    private const int BufferSize = 64 * 1024;

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/vms/{idOrName}/console/vnc", async (string idOrName, HttpContext context, VmService service) =>
        {
            var socketPath = service.VncSocket(idOrName);
            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw new DomainException(ErrorCodes.InvalidArgument, "the VNC console is a websocket: connect with a websocket client (e.g. noVNC)");
            }

            using var vnc = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await vnc.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), context.RequestAborted);
            }
            catch (SocketException ex)
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"the VM's VNC server is not reachable: {ex.Message}");
            }

            var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null;
            using var ws = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var toBrowser = PumpToWebSocketAsync(vnc, ws, done.Token);
            var toVnc = PumpToSocketAsync(ws, vnc, done.Token);
            await Task.WhenAny(toBrowser, toVnc);
            await done.CancelAsync();
            if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "console closed", CancellationToken.None);
            }
        }).WithTags("VMs").WithName("OpenVmVncConsole").ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task PumpToWebSocketAsync(Socket from, WebSocket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or WebSocketException)
        {
            // Either side went away.
        }
    }

    private static async Task PumpToSocketAsync(WebSocket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var result = await from.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, result.Count), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or WebSocketException)
        {
            // Either side went away.
        }
    }
}
