using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Hyperion.Contracts;
using Hyperion.Contracts.Migrations;
using Hyperion.Host.Api;

namespace Hyperion.Host.Vms;

/// <summary>What became of the destination's arrival when the source asked to throw it away.</summary>
internal enum ArrivalAbort
{
    /// <summary>The destination's arrival is gone (killed now, or never there): it will not run the guest.</summary>
    ThrownAway,

    /// <summary>The guest runs on the destination already.</summary>
    RunsThere,

    /// <summary>No answer (unreachable, timeout, unexpected status): the destination's copy may still run the guest.</summary>
    Unknown,
}

/// <summary>
/// The source's line to the destination agent for a direct switch-over: HTTPS to the address the Center gave, trusting
/// only the certificate with the fingerprint the Center gave, authorised by the arrival's token. The source arms the
/// arrival as its stream starts (the request stays open until the guest runs there); <see cref="AbortAsync"/> undoes
/// that before any cancel.
/// </summary>
internal sealed class SwitchoverClient : IDisposable
{
    /// <summary>Beyond the destination's own waits (the stream's time + 60 s, then 5 s), so its answer, not a timeout here, tells what happened.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(15);
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
        _http = new HttpClient(handler) { BaseAddress = new Uri(target.Url), Timeout = Timeout.InfiniteTimeSpan };
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

    /// <summary>
    /// Starts the guest on the destination — as soon as its stream ends, when sent before (<paramref name="waitSeconds"/>:
    /// how long the stream may take) — and returns once it runs there; throws with the destination's reason when it did not.
    /// </summary>
    public async Task<MigrationFinishedDto> SwitchoverAsync(int? waitSeconds, CancellationToken cancellationToken)
    {
        var query = waitSeconds is { } wait ? string.Create(CultureInfo.InvariantCulture, $"?waitSeconds={wait}") : string.Empty;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/migrations/incoming/{Uri.EscapeDataString(_target.MigrationId)}/switchover{query}", UriKind.Relative));
        request.Headers.Add(MigrationsApi.SwitchoverTokenHeader, _target.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout + TimeSpan.FromSeconds(waitSeconds ?? 0));
        using var response = await _http.SendAsync(request, deadline.Token);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"the destination answered {(int)response.StatusCode}: {problem}");
        }

        return await response.Content.ReadFromJsonAsync<MigrationFinishedDto>(JsonDefaults.Options, cancellationToken)
            ?? throw new HttpRequestException("the destination answered an empty body");
    }

    /// <summary>
    /// Before cancelling an armed migration: has the destination throw its arrival away (its QEMU killed), so it can never
    /// run the guest after the source resumed it.
    /// </summary>
    public async Task<ArrivalAbort> AbortAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/migrations/incoming/{Uri.EscapeDataString(_target.MigrationId)}/abort", UriKind.Relative));
        request.Headers.Add(MigrationsApi.SwitchoverTokenHeader, _target.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AbortTimeout);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode ? ArrivalAbort.ThrownAway
                : response.StatusCode == System.Net.HttpStatusCode.Conflict ? ArrivalAbort.RunsThere
                : ArrivalAbort.Unknown;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
        {
            return ArrivalAbort.Unknown;
        }
    }

    public void Dispose() => _http.Dispose();
}
