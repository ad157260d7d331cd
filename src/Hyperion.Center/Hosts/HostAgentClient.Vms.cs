using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Center.Hosts;

/// <summary>The host agent's VM and datastore operations, as the Center's tasks call them.</summary>
public sealed partial class HostAgentClient
{
    /// <summary>Creating a VM may copy an image or allocate disks.</summary>
    public static readonly TimeSpan CreateTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The header carrying the serial log offset to read next (host agent and Center alike).</summary>
    public const string SerialNextOffsetHeader = "X-Hyperion-Next-Offset";

    public Task<VmDto> GetVmAsync(string hostLocalId, CancellationToken cancellationToken) =>
        GetAsync<VmDto>($"/api/vms/{Uri.EscapeDataString(hostLocalId)}", cancellationToken);

    public Task<VmDto> CreateVmAsync(VmCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, "/api/vms", request, CreateTimeout, cancellationToken);

    public Task<VmDto> ReconfigureVmAsync(string hostLocalId, VmReconfigureRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Patch, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}", request, CreateTimeout, cancellationToken);

    public Task DeleteVmAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Delete, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}", null, RequestTimeout, cancellationToken);

    /// <summary><c>power-on</c>, <c>power-off</c>, <c>reset</c>, <c>suspend</c> or <c>resume</c>.</summary>
    public Task<SnapshotTreeDto> ListSnapshotsAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<SnapshotTreeDto>(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/snapshots", null, RequestTimeout, cancellationToken);

    public Task<SnapshotDto> CreateSnapshotAsync(string hostLocalId, SnapshotCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<SnapshotDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/snapshots", request, CreateTimeout, cancellationToken);

    public Task<VmDto> RevertSnapshotAsync(string hostLocalId, string snapshot, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/snapshots/{Uri.EscapeDataString(snapshot)}/revert", null, CreateTimeout, cancellationToken);

    public Task DeleteSnapshotAsync(string hostLocalId, string snapshot, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Delete, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/snapshots/{Uri.EscapeDataString(snapshot)}", null, CreateTimeout, cancellationToken);

    /// <summary>Clones a VM on this host (a full copy may take a while: the same limit as a create's image copy, doubled).</summary>
    public Task<VmDto> CloneVmAsync(string hostLocalId, VmCloneRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/clone", request, CreateTimeout * 2, cancellationToken);

    public Task<VmDto> MarkTemplateAsync(string hostLocalId, bool template, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/{(template ? "mark-template" : "mark-vm")}", null, RequestTimeout, cancellationToken);

    public Task<VmDto> PowerVmAsync(string hostLocalId, string verb, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/{verb}", null, TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>Makes the host trust the Center's CA (called with root's credentials when the host is added or re-enrolled).</summary>
    public Task<CenterTrustDto> InstallCenterTrustAsync(string authorityPem, CancellationToken cancellationToken) =>
        SendAsync<CenterTrustDto>(HttpMethod.Put, "/api/host/center-trust", new CenterTrustRequest(authorityPem), RequestTimeout, cancellationToken);

    /// <summary>A chunk of the VM's serial log from <paramref name="offset"/>, with the offset to ask for next.</summary>
    public async Task<(byte[] Content, long Next)> ReadSerialAsync(string hostLocalId, long offset, CancellationToken cancellationToken)
    {
        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/console/serial?offset={offset}");
        using var response = await SendRawAsync(HttpMethod.Get, path, null, RequestTimeout, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var next = response.Headers.TryGetValues(SerialNextOffsetHeader, out var values)
            && long.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : offset + content.Length;
        return (content, next);
    }

    /// <summary>Opens the VM's VNC websocket on the host, over the same trusted connection as every other call.</summary>
    public async Task<System.Net.WebSockets.ClientWebSocket> OpenVncConsoleAsync(string hostLocalId, CancellationToken cancellationToken)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        if (_http.DefaultRequestHeaders.Authorization is { } authorization)
        {
            socket.Options.SetRequestHeader("Authorization", authorization.ToString());
        }

        var uri = new UriBuilder(new Uri(Settings.Endpoint.BaseAddress, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/console/vnc")) { Scheme = "wss" }.Uri;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        try
        {
            await socket.ConnectAsync(uri, invoker, deadline.Token);
            return socket;
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new Domain.Errors.DomainException(Domain.Errors.ErrorCodes.VmInvalidState, $"the console of VM {hostLocalId} on {Settings.Endpoint.Address} is not available: {ex.Message}");
        }
    }

    /// <summary>Asks the guest to shut down and waits up to <paramref name="timeout"/> for it.</summary>
    public Task<VmDto> ShutdownVmAsync(string hostLocalId, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(
            HttpMethod.Post,
            $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/shutdown",
            new VmShutdownRequest((int)Math.Ceiling(timeout.TotalSeconds)),
            timeout + RequestTimeout,
            cancellationToken);
}
