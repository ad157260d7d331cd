using Hyperion.Contracts;
using Hyperion.Contracts.Hosts;
using Hyperion.Host.Acceleration;
using Hyperion.Host.Datastores;
using Hyperion.Host.Vms;
using Hyperion.Hypervisor.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

public static class HostApi
{
    public static IEndpointRouteBuilder MapHostApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/health", () => TypedResults.Ok(new HealthDto(HealthDto.Ok, HealthDto.HostProduct))).AllowAnonymous().WithTags("Host").WithName("GetHealth");
        routes.MapGet("/api/host", (HostInfoSource source) => TypedResults.Ok(source.Describe()))
            .WithTags("Host").WithName("GetHost").ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapGet("/api/datastores", (DatastoreCatalog catalog) => TypedResults.Ok(catalog.All.Select(DatastoreCatalog.Describe).ToList()))
            .WithTags("Datastores").WithName("ListDatastores").ProducesProblem(StatusCodes.Status401Unauthorized);
        // The Center installs its CA here (with root's credentials) when it adds the host; from then on it calls with
        // a client certificate from that CA instead of a password.
        routes.MapPut("/api/host/center-trust", (CenterTrustRequest request, Security.CenterTrust trust) =>
        {
            trust.Install(request.CertificatePem);
            return TypedResults.Ok(new CenterTrustDto(trust.AuthorityFingerprint!));
        }).WithTags("Host").WithName("SetCenterTrust").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapPut("/api/host/cpu-baseline", (HostCpuBaselineRequest request, AccelerationState acceleration) =>
        {
            acceleration.SetBaseline(request.Model);
            return TypedResults.Ok(new HostCpuBaselineDto(acceleration.CpuBaseline, acceleration.VmCpuModel));
        }).WithName("SetHostCpuBaseline").WithTags("Host").ProducesProblem(StatusCodes.Status409Conflict);
        routes.MapGet("/api/host/center-trust", (Security.CenterTrust trust) => TypedResults.Ok(new CenterTrustDto(trust.AuthorityFingerprint)))
            .WithTags("Host").WithName("GetCenterTrust").ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }
}
