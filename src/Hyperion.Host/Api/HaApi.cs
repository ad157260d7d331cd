using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Vms;
using Hyperion.Host.Ha;
using Hyperion.Host.Vms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

/// <summary>HA on this host: its state (and the cluster's, from etcd), enabling it (from the Center), per-VM settings.</summary>
public static class HaApi
{
    public static IEndpointRouteBuilder MapHaApi(this IEndpointRouteBuilder routes)
    {
        var ha = routes.MapGroup("/api/host/ha").WithTags("HA").ProducesProblem(StatusCodes.Status401Unauthorized);
        ha.MapGet("/", (HaRuntime runtime) => TypedResults.Ok(Current(runtime))).WithName("GetHostHa");
        ha.MapPut("/", async Task<Ok<HostHaStateDto>> (HostHaConfigRequest request, HaRuntime runtime, HaAgent agent, CancellationToken ct) =>
        {
            runtime.Configure(request);
            await agent.ReconcileAsync(ct);
            return TypedResults.Ok(Current(runtime));
        }).WithName("SetHostHa").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        ha.MapDelete("/", async Task<NoContent> (HaAgent agent, CancellationToken ct) =>
        {
            await agent.DisableAsync(ct);
            return TypedResults.NoContent();
        }).WithName("DisableHostHa");
        routes.MapPut("/api/vms/{id}/ha", async Task<Ok<VmDto>> (string id, VmHaRequest request, VmService vms, CancellationToken ct) =>
            TypedResults.Ok(await vms.SetHaAsync(id, request, ct)))
            .WithTags("VMs").WithName("SetVmHa").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static HostHaStateDto Current(HaRuntime runtime) =>
        runtime.Config is null
            ? new HostHaStateDto { Enabled = false, State = HaHostStates.Disabled, EtcdEndpoints = runtime.EtcdEndpoints }
            : runtime.State.Enabled ? runtime.State : runtime.State with { Enabled = true, State = HaHostStates.Initializing, ClusterId = runtime.Config.ClusterId, HostId = runtime.Config.HostId, EtcdEndpoints = runtime.EtcdEndpoints };
}
