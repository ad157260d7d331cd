using System.Net;
using Hyperion.Lab.Api;

namespace Hyperion.Lab.Tests.Api;

public sealed class LabCenterClientTests
{
    private static LabApiResponse Answer(HttpStatusCode status, string body = "", bool problem = false) => new("POST", "/api/vms", status, body, problem);

    [Fact]
    public void IsMissingEndpoint_UnmappedRouteOrMethod_True()
    {
        Assert.True(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.MethodNotAllowed)));
        Assert.True(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.NotFound, """{"code":"request.not-found","detail":"no such endpoint: /api/vms"}""", problem: true)));
        Assert.True(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.NotFound)));
    }

    [Fact]
    public void IsMissingEndpoint_RefusalByARealEndpoint_False()
    {
        Assert.False(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.NotFound, """{"code":"inventory.not-found","detail":"no cluster 'x'"}""", problem: true)));
        Assert.False(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.Accepted, "{}")));
        Assert.False(LabCenterClient.IsMissingEndpoint(Answer(HttpStatusCode.Conflict, """{"code":"vm.duplicate-name"}""", problem: true)));
    }

    [Fact]
    public void Failure_ProblemDetails_QuotesDetailAndCode()
    {
        var ex = Answer(HttpStatusCode.Conflict, """{"detail":"a VM named 'demo' exists","code":"vm.duplicate-name"}""", problem: true).Failure();

        Assert.Equal("POST /api/vms: 409 Conflict: a VM named 'demo' exists (vm.duplicate-name)", ex.Message);
    }
}
