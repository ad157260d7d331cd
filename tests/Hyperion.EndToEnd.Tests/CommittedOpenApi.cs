using System.Text.Json;
using System.Text.Json.Nodes;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Compares a served OpenAPI document with its committed copy in <c>docs/api/</c>; with HYPERION_UPDATE_OPENAPI=1 the
/// copy is rewritten first, which is how it is regenerated after an API change.
/// </summary>
public static class CommittedOpenApi
{
    public const string UpdateVariable = "HYPERION_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task AssertMatchesAsync(JsonNode served, string fileName)
    {
        ArgumentNullException.ThrowIfNull(served);
        var text = served.ToJsonString(Indented) + "\n";
        var committed = Path.Combine(RepositoryPaths.Root, "docs", "api", fileName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(committed, text);
        }

        Assert.True(File.Exists(committed), $"docs/api/{fileName} is missing: run the tests with {UpdateVariable}=1");
        Assert.True(
            text == await File.ReadAllTextAsync(committed),
            $"the served OpenAPI document differs from docs/api/{fileName}: rerun with {UpdateVariable}=1 and commit the change");
    }

    /// <summary>The status codes an operation documents, e.g. <c>["200", "401"]</c>.</summary>
    public static IReadOnlyList<string> Responses(JsonNode document, string path, string method)
    {
        ArgumentNullException.ThrowIfNull(document);
        var operation = document["paths"]?[path]?[method] ?? throw new InvalidOperationException($"no {method} {path} in the document");
        return [.. operation["responses"]!.AsObject().Select(r => r.Key)];
    }
}
