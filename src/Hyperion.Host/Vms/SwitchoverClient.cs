using System.Net.Http.Json;
using System.Security.Cryptography;
using Hyperion.Contracts;
using Hyperion.Contracts.Migrations;
using Hyperion.Host.Api;

namespace Hyperion.Host.Vms;

/// <summary>
/// The source's line to the destination agent for a direct switch-over: HTTPS to the address the Center gave, trusting
/// only the certificate with the fingerprint the Center gave, authorised by the arrival's single-use token. The
/// connection is opened ahead (<see cref="WarmAsync"/>) so the switch-over itself costs one request, not a handshake.
/// </summary>
internal sealed class SwitchoverClient : IDisposable
{
    /// <summary>Beyond the destination's own wait for the final pass (60 s), so its answer, not a timeout here, tells what happened.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http;
    private readonly MigrationSwitchoverDto _target;

    public SwitchoverClient(MigrationSwitchoverDto target)
    {
        _target = target;
        var expected = target.CertificateSha256.Replace(":", string.Empty, StringComparison.Ordinal);
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && string.Equals(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), expected, StringComparison.OrdinalIgnoreCase),
            },
        };
#pragma warning restore CA2000
        _http = new HttpClient(handler) { BaseAddress = new Uri(target.Url), Timeout = RequestTimeout };
    }

    /// <summary>Opens (or keeps alive) the TLS connection; failures only mean the switch-over will open it.</summary>
    public async Task WarmAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/api/health", UriKind.Relative));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
        }
    }

    /// <summary>Starts the guest on the destination; throws with the destination's reason when it did not.</summary>
    public async Task<MigrationFinishedDto> SwitchoverAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/migrations/incoming/{Uri.EscapeDataString(_target.MigrationId)}/switchover", UriKind.Relative));
        request.Headers.Add(MigrationsApi.SwitchoverTokenHeader, _target.Token);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"the destination answered {(int)response.StatusCode}: {problem}");
        }

        return await response.Content.ReadFromJsonAsync<MigrationFinishedDto>(JsonDefaults.Options, cancellationToken)
            ?? throw new HttpRequestException("the destination answered an empty body");
    }

    public void Dispose() => _http.Dispose();
}
