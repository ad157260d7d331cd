using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Api;

/// <summary>Turns exceptions into problem details: refusals keep their code, anything else is logged and reported as <c>center.error</c>.</summary>
public sealed partial class CenterProblemMiddleware(RequestDelegate next, ILogger<CenterProblemMiddleware> logger)
{
    public const string InternalErrorCode = "center.error";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (DomainException ex) when (!context.Response.HasStarted)
        {
            await CenterProblemResults.WriteAsync(context, CenterProblemResults.From(ex));
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await CenterProblemResults.WriteAsync(context, CenterProblemResults.Simple(StatusCodes.Status400BadRequest, ErrorCodes.InvalidArgument, ex.InnerException?.Message ?? ex.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailure(logger, context.Request.Path, ex);
            await CenterProblemResults.WriteAsync(context, CenterProblemResults.Simple(StatusCodes.Status500InternalServerError, InternalErrorCode, ex.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Path} failed")]
    private static partial void LogFailure(ILogger logger, PathString path, Exception exception);
}
