using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hyperion.Server.Problems;

/// <summary>
/// Turns exceptions into problem details: refusals keep their code; anything else is logged and reported with the
/// server's own catch-all code (<c>hypervisor.error</c> on a host, <c>center.error</c> on the Center).
/// </summary>
public sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger, string internalErrorCode)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (DomainException ex) when (!context.Response.HasStarted)
        {
            await ProblemResults.WriteAsync(context, ProblemResults.From(ex));
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await ProblemResults.WriteAsync(context, ProblemResults.Simple(StatusCodes.Status400BadRequest, ErrorCodes.InvalidArgument, ex.InnerException?.Message ?? ex.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailure(logger, context.Request.Path, ex);
            await ProblemResults.WriteAsync(context, ProblemResults.Simple(StatusCodes.Status500InternalServerError, internalErrorCode, ex.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Path} failed")]
    private static partial void LogFailure(ILogger logger, PathString path, Exception exception);
}
