using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Lab.Api;

/// <summary>
/// HTTPS to one Hyperion server the lab started: trusts exactly the certificate with the fingerprint it printed,
/// sends HTTP Basic credentials.
/// </summary>
public sealed class LabApiClient : IDisposable
{
    private readonly HttpClient _http;

    public LabApiClient(Uri baseAddress, string fingerprint, string user, string password, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var expected = CertificateFingerprints.Normalize(fingerprint) ?? throw new ArgumentException($"'{fingerprint}' is not a SHA-256 fingerprint", nameof(fingerprint));
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && CertificateFingerprints.Compute(certificate) == expected,
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
#pragma warning restore CA2000
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <exception cref="LabException">The server could not be reached (the message names it).</exception>
    public async Task<LabApiResponse> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonDefaults.Options), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new LabApiResponse(method.Method, path, response.StatusCode, text, response.Content.Headers.ContentType?.MediaType == "application/problem+json");
        }
        catch (HttpRequestException ex)
        {
            throw new LabException($"{method.Method} {BaseAddress.GetLeftPart(UriPartial.Authority)}{path}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LabException($"{method.Method} {BaseAddress.GetLeftPart(UriPartial.Authority)}{path}: no answer in {_http.Timeout.TotalSeconds:F0} s", ex);
        }
    }

    public Task<LabApiResponse> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<LabApiResponse> PostAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public void Dispose() => _http.Dispose();
}
