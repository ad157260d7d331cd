using Hyperion.Contracts;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Center.Api;

/// <summary>
/// Maps refusals to RFC 9457 problem details with Hyperion's stable codes. Mirrors the host agent's ProblemResults
/// (copied, not referenced: the Center must not depend on Hyperion.Host) with the Center's codes added.
/// </summary>
public static class CenterProblemResults
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.InventoryNotFound or ErrorCodes.UserNotFound or ErrorCodes.RoleNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.InventoryDuplicateName or ErrorCodes.UserDuplicateName => StatusCodes.Status409Conflict,
        ErrorCodes.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorCodes.HypervisorError => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemDto From(DomainException exception)
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
        ArgumentNullException.ThrowIfNull(problem);
        context.Response.StatusCode = problem.Status ?? 500;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(problem, JsonDefaults.Options), context.RequestAborted);
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        422 => "Unprocessable request",
        _ => "Operation failed",
    };
}
