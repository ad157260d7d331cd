using Hyperion.Contracts;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Host.Api;

/// <summary>Maps refusals to RFC 9457 problem details with Hyperion's stable codes.</summary>
public static class ProblemResults
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.VmNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.VmDuplicateName or ErrorCodes.VmAlreadyRegistered or ErrorCodes.VmInvalidState => StatusCodes.Status409Conflict,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.VmStartFailed or ErrorCodes.HypervisorError => StatusCodes.Status500InternalServerError,
        ErrorCodes.VmShutdownTimeout => StatusCodes.Status504GatewayTimeout,
        ErrorCodes.InvalidArgument => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemDto From(DomainException exception, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = StatusFor(exception.Code);
        return new ProblemDto
        {
            Type = $"https://hyperion.dev/problems/{exception.Code}",
            Title = TitleFor(status),
            Status = status,
            Detail = exception.Errors.Count == 1 ? exception.Message : string.Join("; ", exception.Errors.Select(e => e.Message)),
            Code = exception.Code,
            Errors = exception.Errors.Select(e => new ProblemErrorDto(e.Code, e.Message, e.Field)).ToList(),
        };
    }

    public static ProblemDto Simple(int status, string code, string detail) => new()
    {
        Type = $"https://hyperion.dev/problems/{code}",
        Title = TitleFor(status),
        Status = status,
        Detail = detail,
        Code = code,
    };

    public static async Task WriteAsync(HttpContext context, ProblemDto problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = problem.Status ?? 500;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(problem, JsonDefaults.Options), context.RequestAborted);
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        404 => "Not found",
        409 => "Conflict",
        422 => "Invalid request",
        504 => "Timed out",
        _ => "Operation failed",
    };
}
