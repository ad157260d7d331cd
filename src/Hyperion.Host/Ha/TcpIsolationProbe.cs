using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Hyperion.Host.Ha;

/// <summary>
/// The isolation addresses are the other etcd members (every endpoint whose address is not this machine's): the host
/// is not isolated while a TCP connection to any of them opens within <see cref="ConnectTimeout"/> — the kernel answers
/// a SYN even when the process behind it is starved, so a host that is merely slow (or whose etcd lost quorum) is not
/// taken for an isolated one.
/// </summary>
internal sealed class TcpIsolationProbe(IReadOnlyList<string> etcdEndpoints) : IIsolationProbe
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(500);

    public async Task<bool> PeersReachableAsync(CancellationToken cancellationToken)
    {
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet();
        var peers = etcdEndpoints
            .Select(e => Uri.TryCreate(e, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host, out var ip) ? new IPEndPoint(ip, uri.Port) : null)
            .Where(p => p is not null && !local.Contains(p.Address) && !IPAddress.IsLoopback(p.Address))
            .ToList();
        if (peers.Count == 0)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var attempts = peers.Select(async peer =>
        {
            using var socket = new Socket(peer!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(peer, timeout.Token);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return false;
            }
        }).ToList();
        return (await Task.WhenAll(attempts)).Any(ok => ok);
    }
}
