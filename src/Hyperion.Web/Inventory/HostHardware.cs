using System.Collections.Concurrent;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Hosts;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Inventory;

/// <summary>What a host agent said about itself (<c>GET /api/host</c>), or why it could not be asked.</summary>
public sealed record HostHardwareResult(HostInfoDto? Info, string? Error);

/// <summary>
/// Hosts' hardware and software (cores, memory, versions, accelerator) for summaries and capacity totals, asked of the
/// connected host agents themselves (the Center does not record them) and kept for <see cref="MaxAge"/> so pages that
/// total many hosts do not call every host on every render. Calls run a few at a time, each with a short timeout.
/// </summary>
public sealed class HostHardware(HostConnections connections, HostCredentials credentials, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private const int Parallel = 8;

    private readonly ConcurrentDictionary<InventoryId, (DateTimeOffset At, HostHardwareResult Result)> _cache = new();

    /// <summary>The hardware of each connected host of <paramref name="hosts"/> (others are left out).</summary>
    public async Task<IReadOnlyDictionary<InventoryId, HostHardwareResult>> GetAsync(IEnumerable<HostRecord> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var connected = hosts.Where(h => h.ConnectionState == HostConnectionState.Connected).ToList();
        var results = new ConcurrentDictionary<InventoryId, HostHardwareResult>();
        await System.Threading.Tasks.Parallel.ForEachAsync(
            connected,
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (host, ct) => results[host.Id] = await GetAsync(host, ct));
        return results;
    }

    public async Task<HostHardwareResult> GetAsync(HostRecord host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(host.Id, out var cached) && now - cached.At < MaxAge)
        {
            return cached.Result;
        }

        HostHardwareResult result;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            result = new HostHardwareResult(await connections.Get(host.Id, credentials.For(host)).GetHostInfoAsync(timeout.Token), null);
        }
        catch (DomainException ex)
        {
            result = new HostHardwareResult(null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new HostHardwareResult(null, $"the host did not answer within {CallTimeout.TotalSeconds:0} seconds");
        }

        _cache[host.Id] = (now, result);
        return result;
    }
}
