using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Hyperion.Server.Hosting;

/// <summary>
/// The OpenAPI document every Hyperion server serves anonymously at <see cref="DocumentRoute"/> (and commits under
/// <c>docs/api/</c>): its title and security schemes, no <c>servers</c> (the committed copy must not depend on the
/// address a test used), and the problem responses every endpoint can give even when it does not declare them —
/// 400 for a malformed request and 401 without credentials.
/// </summary>
public static class HyperionOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";

    private const string ProblemMediaType = "application/problem+json";

    /// <param name="schemes">Security schemes by name; a caller satisfies any one of them.</param>
    public static IServiceCollection AddHyperionOpenApi(this IServiceCollection services, string title, string description, IReadOnlyDictionary<string, OpenApiSecurityScheme> schemes)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        return services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = title;
                document.Info.Description = description;
                document.Servers?.Clear();
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = schemes.ToDictionary(s => s.Key, s => (IOpenApiSecurityScheme)s.Value);
                document.Security = [.. schemes.Keys.Select(name => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = [] })];
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
                AddImpliedProblems(operation, anonymous);
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>Serves the document anonymously.</summary>
    public static IEndpointConventionBuilder MapHyperionOpenApi(this IEndpointRouteBuilder routes) =>
        routes.MapOpenApi(DocumentRoute).AllowAnonymous();

    private static void AddImpliedProblems(OpenApiOperation operation, bool anonymous)
    {
        if (operation.Responses is not { } responses)
        {
            return;
        }

        // Reuse a declared problem response's content so every problem points at the same schema.
        var problem = responses.Values.Select(r => r.Content is { } content && content.TryGetValue(ProblemMediaType, out var media) ? media : null).FirstOrDefault(m => m is not null);
        if (problem is null)
        {
            return;
        }

        var takesInput = operation.RequestBody is not null || operation.Parameters is { Count: > 0 };
        if (takesInput)
        {
            responses.TryAdd(StatusCodes.Status400BadRequest.ToString(System.Globalization.CultureInfo.InvariantCulture), Problem("Bad Request", problem));
        }

        if (!anonymous)
        {
            responses.TryAdd(StatusCodes.Status401Unauthorized.ToString(System.Globalization.CultureInfo.InvariantCulture), Problem("Unauthorized", problem));
        }

        // Status order, so the committed document reads 200, 201, 400, 401, … whatever order endpoints declared them in.
        var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in sorted)
        {
            responses.Add(status, response);
        }
    }

    private static OpenApiResponse Problem(string description, OpenApiMediaType content) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [ProblemMediaType] = content },
    };
}
