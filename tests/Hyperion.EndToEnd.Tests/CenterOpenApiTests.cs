using System.Text.Json.Nodes;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The Center serves its OpenAPI document anonymously, with its security schemes and problem responses, and
/// docs/api/center-openapi.json is exactly what it serves (HYPERION_UPDATE_OPENAPI=1 regenerates it).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterOpenApiTests
{
    [Fact]
    public async Task OpenApiDocument_Served_MatchesCommittedCopy()
    {
        await using var center = await CenterProcess.StartAsync();
        using var anonymous = HostAgentProcess.CreateHttpClient(center.BaseAddress, center.Fingerprint, null, null);

        var served = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        Assert.Equal("Hyperion Center API", (string?)served["info"]?["title"]);
        Assert.Equal(["basic", "bearer"], served["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key));
        var paths = served["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/hosts", paths);
        Assert.Contains("/api/datacenters", paths);
        Assert.Contains("/api/inventory/resolve", paths);
        Assert.Contains("/api/health", paths);
        // Problem responses: what endpoints declare, plus 400 for any input and 401 wherever credentials are needed.
        var addHost = CommittedOpenApi.Responses(served, "/api/hosts", "post");
        Assert.Superset(new HashSet<string> { "400", "401", "403", "404", "409" }, addHost.ToHashSet());
        Assert.Superset(new HashSet<string> { "400", "401", "403" }, CommittedOpenApi.Responses(served, "/api/datacenters", "post").ToHashSet());
        Assert.Superset(new HashSet<string> { "400", "401", "404" }, CommittedOpenApi.Responses(served, "/api/inventory/resolve", "get").ToHashSet());
        Assert.DoesNotContain("401", CommittedOpenApi.Responses(served, "/api/health", "get"));

        await CommittedOpenApi.AssertMatchesAsync(served, "center-openapi.json");
    }
}
