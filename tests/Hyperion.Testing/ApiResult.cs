using System.Net;
using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Testing;

public sealed record ApiResult(HttpStatusCode Status, string Body, string? MediaType)
{
    public T As<T>(HttpStatusCode expected = HttpStatusCode.OK)
    {
        EnsureStatus(expected);
        return JsonSerializer.Deserialize<T>(Body, JsonDefaults.Options) ?? throw new InvalidOperationException("empty body");
    }

    public ProblemDto Problem()
    {
        if (MediaType != "application/problem+json")
        {
            throw new InvalidOperationException($"expected problem details, got {(int)Status} {MediaType}: {Body}");
        }

        return JsonSerializer.Deserialize<ProblemDto>(Body, JsonDefaults.Options)!;
    }

    public void EnsureStatus(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            throw new InvalidOperationException($"expected {(int)expected}, got {(int)Status}: {Body}");
        }
    }
}
