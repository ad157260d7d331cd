using Microsoft.OpenApi;

namespace Hyperion.Center.Api;

/// <summary>What the Center's OpenAPI document says about itself (served at <c>/openapi/v1.json</c>, committed as <c>docs/api/center-openapi.json</c>).</summary>
public static class CenterOpenApi
{
    public const string Title = "Hyperion Center API";

    public const string Description =
        "The REST API of the Hyperion Center (the vCenter role). HTTPS; authenticate with HTTP Basic (a Center user) or a session token "
        + "from POST /api/session sent as `Authorization: Bearer`. Long operations answer 202 Accepted with a task (GET /api/tasks/{id}); "
        + "lists are pages with a `next` cursor; errors are RFC 9457 problem details with a stable `code`.";

    public static IReadOnlyDictionary<string, OpenApiSecurityScheme> SecuritySchemes { get; } = new Dictionary<string, OpenApiSecurityScheme>(StringComparer.Ordinal)
    {
        ["basic"] = new() { Type = SecuritySchemeType.Http, Scheme = "basic", Description = "a Center user's name and password" },
        ["bearer"] = new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "a session token from POST /api/session" },
    };
}
