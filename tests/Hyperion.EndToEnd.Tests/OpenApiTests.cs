using System.Text.Json;
using System.Text.Json.Nodes;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The agent serves its OpenAPI document, and the copy committed in docs/api/ is exactly what it serves.</summary>
[Trait("Category", "EndToEnd")]
public sealed class OpenApiTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task OpenApiDocument_Served_MatchesCommittedCopy()
    {
        using var anonymous = HostAgentProcess.CreateHttpClient(fixture.Agent.BaseAddress, fixture.Agent.Fingerprint, null, null);
        var served = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = served["paths"]!.AsObject();
        Assert.Contains("/api/vms", paths.Select(p => p.Key));
        Assert.Contains("/api/vms/{idOrName}/power-on", paths.Select(p => p.Key));
        Assert.Contains("/api/events/stream", paths.Select(p => p.Key));

        var text = served.ToJsonString(Indented) + "\n";
        var committed = Path.Combine(RepositoryPaths.Root, "docs", "api", "host-openapi.json");
        if (Environment.GetEnvironmentVariable("HYPERION_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committed, text);
        }

        Assert.True(File.Exists(committed), "docs/api/host-openapi.json is missing: run the tests with HYPERION_UPDATE_OPENAPI=1");
        Assert.True(
            text == await File.ReadAllTextAsync(committed),
            "the served OpenAPI document differs from docs/api/host-openapi.json: rerun with HYPERION_UPDATE_OPENAPI=1 and commit the change");
    }
}
