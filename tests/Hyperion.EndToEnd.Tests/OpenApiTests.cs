using System.Text.Json.Nodes;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The agent serves its OpenAPI document, and the copy committed in docs/api/ is exactly what it serves.</summary>
[Trait("Category", "EndToEnd")]
public sealed class OpenApiTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task OpenApiDocument_Served_MatchesCommittedCopy()
    {
        using var anonymous = HostAgentProcess.CreateHttpClient(fixture.Agent.BaseAddress, fixture.Agent.Fingerprint, null, null);
        var served = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = served["paths"]!.AsObject();
        Assert.Contains("/api/vms", paths.Select(p => p.Key));
        Assert.Contains("/api/vms/{idOrName}/power-on", paths.Select(p => p.Key));
        Assert.Contains("/api/events/stream", paths.Select(p => p.Key));
        Assert.Contains("401", CommittedOpenApi.Responses(served, "/api/host", "get"));

        await CommittedOpenApi.AssertMatchesAsync(served, "host-openapi.json");
    }
}
