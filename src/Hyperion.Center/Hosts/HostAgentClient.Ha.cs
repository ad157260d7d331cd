using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Vms;

namespace Hyperion.Center.Hosts;

/// <summary>The host agent's HA calls (host-internal, with the Center's client certificate).</summary>
public sealed partial class HostAgentClient
{
    /// <summary><c>PUT /api/host/ha</c>: turns HA on (or reconfigures it) on the host; 409 <c>ha.not-configured</c> from a host without etcd.</summary>
    public Task<HostHaStateDto> ConfigureHaAsync(HostHaConfigRequest request, CancellationToken cancellationToken) =>
        SendAsync<HostHaStateDto>(HttpMethod.Put, "/api/host/ha", request, RequestTimeout, cancellationToken);

    /// <summary><c>DELETE /api/host/ha</c>: HA off on the host.</summary>
    public Task DisableHaAsync(CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Delete, "/api/host/ha", null, RequestTimeout, cancellationToken);

    /// <summary><c>GET /api/host/ha</c>: the host's HA state and the cluster as it sees it, within <paramref name="timeout"/>.</summary>
    public Task<HostHaStateDto> GetHaAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync<HostHaStateDto>(HttpMethod.Get, "/api/host/ha", null, timeout, cancellationToken);

    /// <summary><c>GET /api/events?after=N</c>: the host's own events after id <paramref name="after"/>, oldest first.</summary>
    public Task<List<Contracts.Events.EventDto>> ListEventsAsync(long after, int limit, CancellationToken cancellationToken) =>
        SendAsync<List<Contracts.Events.EventDto>>(HttpMethod.Get, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/api/events?after={after}&limit={limit}"), null, RequestTimeout, cancellationToken);

    /// <summary><c>PUT /api/vms/{id}/ha</c>: the VM's restart priority and monitoring.</summary>
    public Task<VmDto> SetVmHaAsync(string hostLocalId, VmHaRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Put, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/ha", request, RequestTimeout, cancellationToken);
}
