using System.Net;
using Hyperion.Contracts.Vms;

namespace Hyperion.Lab.Api;

/// <summary>The host agent calls the lab makes with a host's root account: the demo VM fallback and powering VMs off at <c>down</c>.</summary>
public sealed class LabHostClient(LabApiClient api)
{
    public LabApiClient Api => api;

    public async Task<VmDto> CreateVmAsync(VmCreateRequest request, CancellationToken cancellationToken) =>
        (await api.PostAsync("/api/vms", request, cancellationToken)).Read<VmDto>(HttpStatusCode.Created);

    public async Task<VmDto> PowerAsync(string vm, string verb, CancellationToken cancellationToken) =>
        (await api.PostAsync($"/api/vms/{Uri.EscapeDataString(vm)}/{verb}", null, cancellationToken)).Read<VmDto>(HttpStatusCode.OK);

    public async Task<IReadOnlyList<VmDto>> ListVmsAsync(CancellationToken cancellationToken) =>
        (await api.GetAsync("/api/vms", cancellationToken)).Read<List<VmDto>>(HttpStatusCode.OK);
}
