using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hyperion.Contracts;

namespace Hyperion.Cli.Tests.Fakes;

/// <summary>
/// Answers requests from canned responses keyed by method and path-and-query, and records every request.
/// Several responses for one key are served in order; the last one repeats. Unknown routes get a problem 404.
/// <c>GET /api/health</c> answers as <see cref="Product"/> unless a test sets its own route.
/// </summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    public const string HealthPath = "/api/health";

    private readonly Dictionary<string, Queue<Func<HttpResponseMessage>>> _routes = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];

    /// <summary>What the default <c>GET /api/health</c> says this server is (<c>host</c> or <c>center</c>).</summary>
    public string Product { get; set; } = HealthDto.HostProduct;

    /// <summary>Every request except the CLI's <c>GET /api/health</c> product probe.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. AllRequests.Where(r => r.PathAndQuery != HealthPath)];

    /// <summary>Every request, product probes included.</summary>
    public IReadOnlyList<RecordedRequest> AllRequests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public FakeHttpHandler On(HttpMethod method, string pathAndQuery, Func<HttpResponseMessage> respond)
    {
        var key = Key(method, pathAndQuery);
        if (!_routes.TryGetValue(key, out var queue))
        {
            queue = new Queue<Func<HttpResponseMessage>>();
            _routes[key] = queue;
        }

        queue.Enqueue(respond);
        return this;
    }

    public FakeHttpHandler OnJson<T>(HttpMethod method, string pathAndQuery, T body, HttpStatusCode status = HttpStatusCode.OK) =>
        On(method, pathAndQuery, () => Json(body, status));

    public FakeHttpHandler OnProblem(HttpMethod method, string pathAndQuery, HttpStatusCode status, ProblemDto problem) =>
        On(method, pathAndQuery, () => Problem(status, problem));

    public static HttpResponseMessage Json<T>(T body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = JsonContent.Create(body, options: JsonDefaults.Options) };

    public static HttpResponseMessage Problem(HttpStatusCode status, ProblemDto problem)
    {
        var content = new StringContent(
            System.Text.Json.JsonSerializer.Serialize(problem, JsonDefaults.Options),
            Encoding.UTF8,
            "application/problem+json");
        return new HttpResponseMessage(status) { Content = content };
    }

    public static HttpResponseMessage Text(string text, string mediaType = "text/plain") =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var uri = request.RequestUri ?? throw new InvalidOperationException("request without URI");
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(
                request.Method,
                uri,
                body,
                request.Content?.Headers.ContentType?.MediaType,
                request.Headers.Authorization?.ToString()));
        }

        if (_routes.TryGetValue(Key(request.Method, uri.PathAndQuery), out var queue) && queue.Count > 0)
        {
            Func<HttpResponseMessage> respond;
            lock (queue)
            {
                respond = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }

            return respond();
        }

        if (request.Method == HttpMethod.Get && uri.PathAndQuery == HealthPath)
        {
            return Json(new HealthDto(HealthDto.Ok, Product));
        }

        return Problem(HttpStatusCode.NotFound, new ProblemDto { Title = "Not Found", Detail = $"no fake route for {request.Method} {uri.PathAndQuery}", Code = "test.no-route" });
    }

    private static string Key(HttpMethod method, string pathAndQuery) => method.Method + " " + pathAndQuery;
}
