using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The graphical console over a websocket: the agent bridges it to QEMU's VNC unix socket.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ConsoleTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task VncWebSocket_RunningVm_SpeaksRfbAndNegotiates()
    {
        await Api.CreateTinyAsync("screen");
        await Api.PowerOkAsync("screen", "power-on");

        using var ws = await ConnectAsync("screen");
        var version = await ReceiveAsync(ws, 12);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(version));

        // Complete the handshake far enough to prove the stream is two-way: security types, then "None" (1).
        await ws.SendAsync(version, WebSocketMessageType.Binary, true, CancellationToken.None);
        var types = await ReceiveAsync(ws, 2);
        Assert.True(types[0] >= 1, "at least one security type");
        Assert.Equal(1, types[1]);
        await ws.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var result = await ReceiveAsync(ws, 4);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, result);

        // ClientInit (shared) → ServerInit starts with the framebuffer width and height.
        await ws.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var init = await ReceiveAsync(ws, 4);
        Assert.True((init[0] << 8 | init[1]) >= 320, "framebuffer width");
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Api.PowerOkAsync("screen", "power-off");
    }

    [Fact]
    public async Task VncWebSocket_PoweredOffVm_Refused()
    {
        await Api.CreateTinyAsync("dark");

        var result = await Api.SendAsync(HttpMethod.Get, "/api/vms/dark/console/vnc");

        Assert.Equal(System.Net.HttpStatusCode.Conflict, result.Status);
        Assert.Equal("vm.invalid-state", result.Problem().Code);
    }

    private async Task<ClientWebSocket> ConnectAsync(string vm)
    {
        var ws = new ClientWebSocket();
        var expected = fixture.Agent.Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal);
        ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            cert is not null && Convert.ToHexString(cert.GetCertHash(HashAlgorithmName.SHA256)) == expected;
        ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{HostAgentProcess.Password}")));
        ws.Options.AddSubProtocol("binary");
        await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{fixture.Agent.Port}/api/vms/{vm}/console/vnc"), CancellationToken.None);
        return ws;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, across websocket messages.</summary>
    private static async Task<byte[]> ReceiveAsync(WebSocket ws, int count)
    {
        var data = new byte[count];
        var have = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (have < count)
        {
            var r = await ws.ReceiveAsync(data.AsMemory(have), timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed after {have} bytes");
            }

            have += r.Count;
        }

        return data;
    }
}
