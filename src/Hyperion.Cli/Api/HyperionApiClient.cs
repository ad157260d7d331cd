using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Datastores;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Api;

/// <summary>
/// The REST API of a host agent or a Center as the CLI uses it (this file: transport, product detection and the host
/// agent's resources; <c>HyperionApiClient.Center.cs</c>: the Center's). Failures surface as
/// <see cref="HyperionApiException"/> (the server refused) or <see cref="HyperionConnectionException"/> (it could not be
/// reached or trusted).
/// </summary>
public sealed partial class HyperionApiClient : IDisposable
{
    /// <summary>Response header of the serial console endpoint carrying the offset to ask for next.</summary>
    public const string NextOffsetHeader = "X-Hyperion-Next-Offset";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    // Generous because a guest shutdown waits for the guest; connect failures are bounded by ConnectTimeout.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly ServerCertificateValidator? _validator;
    private Task<ServerProduct>? _product;

    public HyperionApiClient(HttpClient http, Uri server, ServerCertificateValidator? validator = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(server);
        _http = http;
        _server = server;
        _validator = validator;
    }

    /// <summary>
    /// A client for <paramref name="settings"/>: the real HTTPS handler with certificate validation, or the
    /// console's handler factory when one is set.
    /// </summary>
    public static HyperionApiClient Create(ConnectionSettings settings, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        ServerCertificateValidator? validator = null;
        HttpMessageHandler handler;
        if (console.HttpMessageHandlerFactory is { } factory)
        {
            handler = factory();
        }
        else
        {
            validator = new ServerCertificateValidator(settings.Insecure, settings.Fingerprint);
            var sockets = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout };
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => validator.Validate(certificate, errors);
            handler = sockets;
        }

        var baseAddress = settings.Server.AbsoluteUri.EndsWith('/') ? settings.Server : new Uri(settings.Server.AbsoluteUri + "/");
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.User}:{settings.Password}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return new HyperionApiClient(http, settings.Server, validator);
    }

    /// <summary>The server's base URL, for messages.</summary>
    public Uri Server => _server;

    /// <summary>
    /// Whether this is a host agent or a Center, from <c>GET /api/health</c>'s <c>product</c>; asked once per client
    /// (one CLI invocation) and remembered. A server that does not say (an older agent) is a host agent.
    /// </summary>
    public Task<ServerProduct> GetProductAsync(CancellationToken ct) => _product ??= DetectProductAsync(ct);

    public Task<HostInfoDto> GetHostAsync(CancellationToken ct) =>
        SendAsync<HostInfoDto>(HttpMethod.Get, "api/host", null, ct);

    public Task<DatastoreDto[]> ListDatastoresAsync(CancellationToken ct) =>
        SendAsync<DatastoreDto[]>(HttpMethod.Get, "api/datastores", null, ct);

    public Task<VmDto[]> ListVmsAsync(CancellationToken ct) =>
        SendAsync<VmDto[]>(HttpMethod.Get, "api/vms", null, ct);

    public Task<VmDto> GetVmAsync(string idOrName, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Get, VmPath(idOrName), null, ct);

    public Task<VmDto> CreateVmAsync(VmCreateRequest request, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Post, "api/vms", JsonContent(request), ct);

    public Task<VmDto> ReconfigureVmAsync(string idOrName, VmReconfigureRequest request, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Patch, VmPath(idOrName), JsonContent(request), ct);

    /// <summary>A standalone host's <c>PUT /api/vms/{id}/ha</c>: the VM's HA restart priority and monitoring.</summary>
    public Task<VmDto> SetVmHaAsync(string idOrName, Contracts.Ha.VmHaRequest request, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Put, VmPath(idOrName) + "/ha", JsonContent(request), ct);

    public Task DeleteVmAsync(string idOrName, CancellationToken ct) =>
        SendWithoutResultAsync(HttpMethod.Delete, VmPath(idOrName), null, ct);

    public Task UnregisterVmAsync(string idOrName, CancellationToken ct) =>
        SendWithoutResultAsync(HttpMethod.Post, VmPath(idOrName, "unregister"), null, ct);

    public Task<VmDto> RegisterVmAsync(VmRegisterRequest request, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Post, "api/vms/register", JsonContent(request), ct);

    public Task<VmDto> PowerAsync(string idOrName, VmPowerAction action, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Post, VmPath(idOrName, action.ToPathSegment()), null, ct);

    public Task<VmDto> ShutdownVmAsync(string idOrName, int? timeoutSeconds, CancellationToken ct) =>
        SendAsync<VmDto>(
            HttpMethod.Post,
            VmPath(idOrName, "shutdown"),
            timeoutSeconds is null ? null : JsonContent(new VmShutdownRequest(timeoutSeconds)),
            ct);

    public async Task<SerialConsoleChunk> GetSerialConsoleAsync(string idOrName, long offset, CancellationToken ct)
    {
        var path = VmPath(idOrName, "console/serial") + "?offset=" + offset.ToString(CultureInfo.InvariantCulture);
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, ct);
        var data = await response.Content.ReadAsByteArrayAsync(ct);
        var next = offset + data.Length;
        if (response.Headers.TryGetValues(NextOffsetHeader, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            next = parsed;
        }

        return new SerialConsoleChunk(data, next);
    }

    public Task<EventDto[]> ListEventsAsync(long? after, int? limit, CancellationToken ct)
    {
        var query = new List<string>();
        if (after is { } a)
        {
            query.Add("after=" + a.ToString(CultureInfo.InvariantCulture));
        }

        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }

        var path = query.Count == 0 ? "api/events" : "api/events?" + string.Join('&', query);
        return SendAsync<EventDto[]>(HttpMethod.Get, path, null, ct);
    }

    /// <summary>Follows <c>GET /api/events/stream</c> (server-sent events) until the server closes it or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<EventDto> StreamEventsAsync(long? after, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = after is { } a ? "api/events/stream?after=" + a.ToString(CultureInfo.InvariantCulture) : "api/events/stream";
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct);
            }
            catch (IOException ex)
            {
                throw new HyperionConnectionException($"the event stream from {_server.Authority} broke: {ex.Message}", ex);
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var dto = JsonSerializer.Deserialize<EventDto>(data.ToString(), JsonDefaults.Options);
                    data.Clear();
                    if (dto is not null)
                    {
                        yield return dto;
                    }
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }

            // id:, event: and comments carry nothing the EventDto does not.
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<ServerProduct> DetectProductAsync(CancellationToken ct)
    {
        // Only a Center says so; anything else (no product, no health endpoint, an answer we cannot read) is taken for
        // a host agent, and the verb's own request reports whatever is really wrong.
        try
        {
            var health = await SendAsync<JsonElement>(HttpMethod.Get, "api/health", null, ct);
            return health.ValueKind == JsonValueKind.Object
                && health.TryGetProperty("product", out var product)
                && product.ValueKind == JsonValueKind.String
                && product.GetString() == HealthDto.CenterProduct
                    ? ServerProduct.Center
                    : ServerProduct.Host;
        }
        catch (HyperionApiException)
        {
            return ServerProduct.Host;
        }
    }

    private static string VmPath(string idOrName, string? action = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        var path = "api/vms/" + Uri.EscapeDataString(idOrName);
        return action is null ? path : path + "/" + action;
    }

    private static JsonContent JsonContent<T>(T body) => System.Net.Http.Json.JsonContent.Create(body, options: JsonDefaults.Options);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(method, path) { Content = content }, HttpCompletionOption.ResponseContentRead, ct);
        return await ReadJsonAsync<T>(response, ct);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonDefaults.Options, ct) ?? throw EmptyResponse(response.StatusCode);
        }
        catch (JsonException ex)
        {
            throw BadResponse(response.StatusCode, ex);
        }
    }

    private static HyperionApiException EmptyResponse(HttpStatusCode status) =>
        new(status, new ProblemDto { Detail = "the server sent an empty response", Code = "cli.bad-response" });

    private static HyperionApiException BadResponse(HttpStatusCode status, JsonException ex) =>
        new(status, new ProblemDto { Detail = $"the server sent a response the CLI does not understand: {ex.Message}", Code = "cli.bad-response" });

    private async Task SendWithoutResultAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(method, path) { Content = content }, HttpCompletionOption.ResponseContentRead, ct);
    }

    /// <summary>Sends, maps transport failures and error statuses to exceptions, and returns a successful response.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex) when (_validator?.RejectedFingerprint is not null)
        {
            throw new HyperionConnectionException(_validator.DescribeRejection(_server), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HyperionConnectionException($"cannot connect to {_server.Authority}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new HyperionConnectionException($"{_server.Authority} did not answer in time", ex);
        }
        finally
        {
            request.Dispose();
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new HyperionApiException(response.StatusCode, await ReadProblemAsync(response, ct));
        }
    }

    private static async Task<ProblemDto> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var fallback = new ProblemDto
        {
            Status = (int)response.StatusCode,
            Title = response.ReasonPhrase,
            Detail = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}".TrimEnd(),
            Code = response.StatusCode == HttpStatusCode.Unauthorized ? "auth.unauthorized" : null,
        };

        var body = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(body))
        {
            return fallback;
        }

        try
        {
            var problem = JsonSerializer.Deserialize<ProblemDto>(body, JsonDefaults.Options);
            return problem is null || (problem.Detail is null && problem.Title is null && problem.Code is null) ? fallback : problem;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }
}
