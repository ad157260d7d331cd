using System.Net;
using Hyperion.Contracts;

namespace Hyperion.Cli.Api;

/// <summary>The server answered with an error status; <see cref="Problem"/> holds its problem details.</summary>
public sealed class HyperionApiException : Exception
{
    public HyperionApiException()
    {
        Problem = new ProblemDto();
    }

    public HyperionApiException(string message)
        : base(message)
    {
        Problem = new ProblemDto { Detail = message };
    }

    public HyperionApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new ProblemDto { Detail = message };
    }

    public HyperionApiException(HttpStatusCode statusCode, ProblemDto problem)
        : base(problem?.Detail ?? problem?.Title ?? $"HTTP {(int)statusCode}")
    {
        ArgumentNullException.ThrowIfNull(problem);
        StatusCode = statusCode;
        Problem = problem;
    }

    public HttpStatusCode StatusCode { get; }

    public ProblemDto Problem { get; }
}
