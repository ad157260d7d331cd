using Hyperion.Contracts;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Server.Problems;

/// <summary>RFC 9457 problem details with Hyperion's stable codes: one status per code for every server.</summary>
public static class ProblemResults
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.MetricsInvalidInterval or ErrorCodes.MetricsUnknownCounter or ErrorCodes.CustomizationInvalid
            or ErrorCodes.LibraryInvalidContent or ErrorCodes.HaInvalidConfig => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.VmNotFound or ErrorCodes.InventoryNotFound or ErrorCodes.UserNotFound or ErrorCodes.RoleNotFound
            or ErrorCodes.HostNotFound or ErrorCodes.TaskNotFound or ErrorCodes.MigrationNotFound or ErrorCodes.SnapshotNotFound
            or ErrorCodes.LibraryItemNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.VmDuplicateName or ErrorCodes.VmAlreadyRegistered or ErrorCodes.VmInvalidState
            or ErrorCodes.InventoryDuplicateName or ErrorCodes.UserDuplicateName
            or ErrorCodes.HostFingerprintUnconfirmed or ErrorCodes.HostDuplicateAddress
            or ErrorCodes.TaskNotCancellable or ErrorCodes.TaskFinished or ErrorCodes.RoleInUse
            or ErrorCodes.HostNotConnected or ErrorCodes.HostInMaintenance or ErrorCodes.HostCpuUnsupported
            or ErrorCodes.MigrationInvalidState or ErrorCodes.MigrationSameHost or ErrorCodes.MigrationIncompatible
            or ErrorCodes.VmIsTemplate or ErrorCodes.TemplateInUse or ErrorCodes.LibraryDuplicateName or ErrorCodes.LibraryItemInUse
            or ErrorCodes.HaNotConfigured or ErrorCodes.HaOwnedElsewhere or ErrorCodes.HaAdmissionControl => StatusCodes.Status409Conflict,
        ErrorCodes.HaUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.VmStartFailed or ErrorCodes.HypervisorError or ErrorCodes.MigrationFailed => StatusCodes.Status500InternalServerError,
        ErrorCodes.VmShutdownTimeout => StatusCodes.Status504GatewayTimeout,
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

    /// <summary>For <c>UseStatusCodePages</c>: bodiless 401/404/405 (no credentials, unknown route or method) become problems too.</summary>
    /// <param name="unauthorizedDetail">What a 401 tells the client about how to authenticate to this server.</param>
    public static Task WriteStatusCodePageAsync(StatusCodeContext context, string unauthorizedDetail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (code, detail) = status switch
        {
            401 => (ErrorCodes.Unauthorized, unauthorizedDetail),
            403 => (ErrorCodes.Forbidden, "not allowed"),
            404 => ("request.not-found", $"no such endpoint: {http.Request.Path}"),
            405 => ("request.method-not-allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}"),
            _ => ("request.failed", $"status {status}"),
        };
        return WriteAsync(http, Simple(status, code, detail));
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        422 => "Invalid request",
        504 => "Timed out",
        _ => "Operation failed",
    };
}
