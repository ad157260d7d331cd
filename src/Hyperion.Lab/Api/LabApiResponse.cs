using System.Net;
using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Lab.Api;

/// <summary>One answer of a Hyperion API (Center or host agent), kept whole so failures can quote the problem details.</summary>
public sealed record LabApiResponse(string Method, string Path, HttpStatusCode Status, string Body, bool IsProblem)
{
    /// <summary>The body as <typeparamref name="T"/> when the status is one of <paramref name="expected"/>.</summary>
    /// <exception cref="LabException">Any other status (with the problem's message and code), or an empty body.</exception>
    public T Read<T>(params HttpStatusCode[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (!expected.Contains(Status))
        {
            throw Failure();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(Body, JsonDefaults.Options) ?? throw new LabException($"{Method} {Path}: empty answer");
        }
        catch (JsonException ex)
        {
            throw new LabException($"{Method} {Path}: unexpected answer ({ex.Message})", ex);
        }
    }

    /// <summary>The problem details of a refusal, when the server sent them.</summary>
    public ProblemDto? Problem()
    {
        if (!IsProblem)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ProblemDto>(Body, JsonDefaults.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>POST /api/hosts: 409 host.duplicate-address: …</c>.</summary>
    public LabException Failure()
    {
        var problem = Problem();
        var why = problem is not null
            ? $"{problem.Detail ?? problem.Title} ({problem.Code})"
            : Body.Length > 300 ? Body[..300] + "…" : Body;
        return new LabException($"{Method} {Path}: {(int)Status} {Status}: {why}");
    }
}
