using System.Net.Http.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Server.Hosting;

/// <summary>Request bodies that may be left out (a POST with no content), read with Hyperion's JSON shape.</summary>
public static class OptionalJsonBody
{
    /// <summary>Longest guest shutdown a request may ask to wait for.</summary>
    public const int MaxShutdownSeconds = 3600;

    public static async Task<T?> ReadAsync<T>(HttpRequest http, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.ContentLength > 0 ? await http.ReadFromJsonAsync<T>(JsonDefaults.Options, cancellationToken) : null;
    }

    /// <summary>The wait of an optional <see cref="VmShutdownRequest"/> (host agent and Center alike); null for the default.</summary>
    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> outside 1–<see cref="MaxShutdownSeconds"/> seconds.</exception>
    public static async Task<TimeSpan?> ReadShutdownTimeoutAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var body = await ReadAsync<VmShutdownRequest>(http, cancellationToken);
        return body?.TimeoutSeconds is not { } seconds
            ? null
            : seconds is > 0 and <= MaxShutdownSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"timeoutSeconds must be between 1 and {MaxShutdownSeconds}", "timeoutSeconds"));
    }
}
