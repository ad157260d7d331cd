using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Hyperion.Contracts;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;

namespace Hyperion.Center.Hosts;

/// <summary>
/// Calls one host agent over HTTPS, trusting exactly the certificate with the pinned fingerprint (hosts use
/// self-signed certificates). Failures become <see cref="DomainException"/>s with the <c>host.*</c> codes.
/// Thread-safe; one per host, reused across heartbeats.
/// </summary>
public sealed class HostAgentClient : IDisposable
{
    /// <summary>Per-call limit: a host that does not answer within this is unreachable for this round.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private string? _presented;

    /// <param name="settings">With an empty <see cref="HostConnectionSettings.Fingerprint"/> every certificate is refused (and remembered in <see cref="PresentedFingerprint"/>).</param>
    public HostAgentClient(HostConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        var handler = new HttpClientHandler
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
        _http = new HttpClient(handler) { BaseAddress = settings.Endpoint.BaseAddress, Timeout = RequestTimeout };
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

    /// <summary><c>GET /api/host</c> then <c>GET /api/vms</c>.</summary>
    public async Task<HostCallResult> DescribeAsync(CancellationToken cancellationToken)
    {
        var host = await GetAsync<HostInfoDto>("/api/host", cancellationToken);
        var vms = await GetAsync<List<VmDto>>("/api/vms", cancellationToken);
        return new HostCallResult(host, vms);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        var endpoint = Settings.Endpoint;
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        }
        catch (HttpRequestException) when (_presented is not null && !string.Equals(_presented, Settings.Fingerprint, StringComparison.Ordinal))
        {
            throw new DomainException(new DomainError(
                ErrorCodes.HostFingerprintUnconfirmed,
                $"the certificate of {endpoint} does not match the confirmed fingerprint; the host's SHA-256 fingerprint is {HostFingerprint.Format(_presented)}",
                "fingerprint"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"cannot reach the host agent at {endpoint}: {ex.Message}", "address"));
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostAuthFailed, $"the host agent at {endpoint} refused the credentials of '{Settings.UserName}'", "password"));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {endpoint} answered {(int)response.StatusCode} to GET {path}", "address"));
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(JsonDefaults.Options, cancellationToken)
                    ?? throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {endpoint} sent an empty answer to GET {path}", "address"));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostUnreachable, $"the host agent at {endpoint} sent an unreadable answer to GET {path}: {ex.Message}", "address"));
            }
        }
    }
}
