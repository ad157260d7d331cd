using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Hyperion.Contracts;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;

using Hyperion.Server.Hosting;

namespace Hyperion.Center.Hosts;

/// <summary>
/// Calls one host agent over HTTPS, trusting exactly the certificate with the pinned fingerprint (hosts use
/// self-signed certificates). Failures become <see cref="DomainException"/>s with the <c>host.*</c> codes.
/// Thread-safe; one per host, reused across heartbeats.
/// </summary>
public sealed partial class HostAgentClient : IDisposable
{
    /// <summary>Per-call limit: a host that does not answer within this is unreachable for this round.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly HttpClientHandler _handler;
    private string? _presented;

    /// <param name="settings">With an empty <see cref="HostConnectionSettings.Fingerprint"/> every certificate is refused (and remembered in <see cref="PresentedFingerprint"/>).</param>
    public HostAgentClient(HostConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        var handler = _handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                var actual = HostFingerprint.Compute(certificate);
                _presented = actual;
                return string.Equals(actual, settings.Fingerprint, StringComparison.Ordinal);
            },
        };
#pragma warning restore CA2000
        if (settings.ClientCertificate is { } clientCertificate)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        _http = new HttpClient(handler) { BaseAddress = settings.Endpoint.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (settings.UserName is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.UserName}:{settings.Password}")));
        }
    }

    public HostConnectionSettings Settings { get; }

    /// <summary>Normalized fingerprint of the certificate the host last presented, or null before any TLS handshake.</summary>
    public string? PresentedFingerprint => _presented;

    /// <summary>
    /// The fingerprint of the host's certificate, without trusting it (the vCenter "confirm the thumbprint" step).
    /// </summary>
    /// <exception cref="DomainException"><see cref="ErrorCodes.HostUnreachable"/> when no TLS handshake happened.</exception>
    public static async Task<string> ProbeFingerprintAsync(HostEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var probe = new HostAgentClient(new HostConnectionSettings(endpoint, string.Empty, null, null));
        try
        {
            using var response = await probe._http.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Expected: the certificate was refused on purpose.
        }

        return probe.PresentedFingerprint
            ?? throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"cannot connect to the host agent at {endpoint}", "address"));
    }

    /// <summary><c>GET /api/host</c>: proves the address, the pinned certificate and the credentials in one call.</summary>
    public Task<HostInfoDto> GetHostInfoAsync(CancellationToken cancellationToken) => GetAsync<HostInfoDto>("/api/host", cancellationToken);

    /// <summary><c>GET /api/host</c> (with the datastores) then <c>GET /api/vms</c>.</summary>
    public async Task<HostCallResult> DescribeAsync(CancellationToken cancellationToken)
    {
        var host = await GetAsync<HostInfoDto>("/api/host", cancellationToken);
        var vms = await GetAsync<List<VmDto>>("/api/vms", cancellationToken);
        return new HostCallResult(host, vms);
    }

    private const string NotDeliveredKey = "hyperion.notDelivered";

    /// <summary>
    /// Whether a call failed before any connection to the agent was made (refused, no route, TLS handshake failed), so
    /// the agent surely did not act on it — unlike a timeout or a connection lost after sending.
    /// </summary>
    public static bool NotDelivered(DomainException exception) => exception?.Data[NotDeliveredKey] is true;

    public void Dispose() => _http.Dispose();

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, RequestTimeout, cancellationToken);

    /// <summary>
    /// One call to the agent. Transport failures become <see cref="ErrorCodes.HostUnreachable"/>, a changed certificate
    /// <see cref="ErrorCodes.HostFingerprintUnconfirmed"/>, refused credentials <see cref="ErrorCodes.HostAuthFailed"/>,
    /// and the agent's own problems keep their stable code with the host named in the message.
    /// </summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, timeout, cancellationToken);
        if (typeof(T) == typeof(NoContent))
        {
            return default!;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonDefaults.Options, deadline.Token)
                ?? throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {Settings.Endpoint} sent an empty answer to {method} {path}", "address"));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {Settings.Endpoint} sent an unreadable answer to {method} {path}: {ex.Message}", "address"));
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var endpoint = Settings.Endpoint;
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body, body.GetType(), options: JsonDefaults.Options);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, deadline.Token);
        }
        catch (HttpRequestException) when (_presented is not null && !string.Equals(_presented, Settings.Fingerprint, StringComparison.Ordinal))
        {
            throw new DomainException(new DomainError(
                ErrorCodes.HostFingerprintUnconfirmed,
                $"the certificate of {endpoint} does not match the confirmed fingerprint; the host's SHA-256 fingerprint is {HostFingerprint.Format(_presented)}",
                "fingerprint"));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
            var unreachable = new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"cannot reach the host agent at {endpoint}: {reason}", "address"));
            if (HttpFailures.NeverConnected(ex))
            {
                // No connection was made: the agent never saw the request.
                unreachable.Data[NotDeliveredKey] = true;
            }

            throw unreachable;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostAuthFailed, $"the host agent at {endpoint} refused the Center's credentials", "password"));
            }

            ProblemDto? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ProblemDto>(JsonDefaults.Options, deadline.Token);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or HttpRequestException or OperationCanceledException or NotSupportedException && !cancellationToken.IsCancellationRequested)
            {
                // Not a problem document: reported below by status.
            }

            if (problem?.Code is { Length: > 0 } code && response.StatusCode != HttpStatusCode.NotFound || problem?.Code is ErrorCodes.VmNotFound or ErrorCodes.DatastoreNotFound or ErrorCodes.ImageNotFound or ErrorCodes.MigrationNotFound or ErrorCodes.SnapshotNotFound or ErrorCodes.LibraryItemNotFound)
            {
                var errors = problem!.Errors is { Count: > 0 } list
                    ? list.Select(e => new DomainError(e.Code, $"host {endpoint.Address}: {e.Message}", e.Field)).ToList()
                    : [new DomainError(problem.Code!, $"host {endpoint.Address}: {problem.Detail ?? problem.Title}")];
                throw new DomainException(errors);
            }

            throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {endpoint} answered {(int)response.StatusCode} to {method} {path}", "address"));
        }
    }

    /// <summary>Marks a call whose answer has no body.</summary>
    private sealed record NoContent;
}
