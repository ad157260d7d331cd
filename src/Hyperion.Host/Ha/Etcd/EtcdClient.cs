using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Hyperion.Host.Ha.Etcd;

/// <summary>
/// etcd v3 over its JSON gateway (<c>/v3/kv/*</c>, <c>/v3/lease/*</c>; keys and values base64, 64-bit numbers as
/// strings). Sticks to the endpoint that last answered; a failure moves the next call to the next endpoint, so a host
/// whose own member lost quorum reaches the majority through another member on its next round.
/// </summary>
internal sealed class EtcdClient : IEtcdClient, IDisposable
{
    private readonly List<Uri> _endpoints;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private int _current;

    public EtcdClient(IReadOnlyList<string> endpoints, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is needed", nameof(endpoints));
        }

        _endpoints = endpoints.Select(e => new Uri(e.TrimEnd('/') + "/")).ToList();
        _timeout = requestTimeout;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = requestTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<long> GrantAsync(int ttlSeconds, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("v3/lease/grant", new JsonObject { ["TTL"] = ttlSeconds }, cancellationToken);
        return Long(reply["ID"]);
    }

    public async Task<long> KeepAliveAsync(long lease, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("v3/lease/keepalive", new JsonObject { ["ID"] = lease.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
        return Long((reply["result"] ?? reply)["TTL"]);
    }

    public async Task RevokeAsync(long lease, CancellationToken cancellationToken) =>
        await CallAsync("v3/lease/revoke", new JsonObject { ["ID"] = lease.ToString(CultureInfo.InvariantCulture) }, cancellationToken);

    public async Task<EtcdKeyValue?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("v3/kv/range", new JsonObject { ["key"] = B64(key) }, cancellationToken);
        return KeyValues(reply).FirstOrDefault();
    }

    public async Task<IReadOnlyList<EtcdKeyValue>> GetPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("v3/kv/range", new JsonObject { ["key"] = B64(prefix), ["range_end"] = B64(PrefixEnd(prefix)) }, cancellationToken);
        return KeyValues(reply);
    }

    public async Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken) =>
        await CallAsync("v3/kv/put", PutBody(key, value, lease), cancellationToken);

    public async Task<(bool Created, EtcdKeyValue? Existing)> CreateAsync(string key, string value, long lease, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["compare"] = new JsonArray(new JsonObject { ["key"] = B64(key), ["target"] = "CREATE", ["result"] = "EQUAL", ["create_revision"] = "0" }),
            ["success"] = new JsonArray(new JsonObject { ["request_put"] = PutBody(key, value, lease) }),
            ["failure"] = new JsonArray(new JsonObject { ["request_range"] = new JsonObject { ["key"] = B64(key) } }),
        };
        var reply = await CallAsync("v3/kv/txn", body, cancellationToken);
        if (reply["succeeded"]?.GetValue<bool>() == true)
        {
            return (true, null);
        }

        var range = reply["responses"]?.AsArray().Select(r => r?["response_range"]).FirstOrDefault(r => r is not null);
        return (false, range is null ? null : KeyValues(range).FirstOrDefault());
    }

    public async Task<bool> CompareAndPutAsync(string key, string expected, string value, long lease, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["compare"] = new JsonArray(new JsonObject { ["key"] = B64(key), ["target"] = "VALUE", ["result"] = "EQUAL", ["value"] = B64(expected) }),
            ["success"] = new JsonArray(new JsonObject { ["request_put"] = PutBody(key, value, lease) }),
        };
        var reply = await CallAsync("v3/kv/txn", body, cancellationToken);
        return reply["succeeded"]?.GetValue<bool>() == true;
    }

    public async Task<bool> CompareAndDeleteAsync(string key, string expected, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["compare"] = new JsonArray(new JsonObject { ["key"] = B64(key), ["target"] = "VALUE", ["result"] = "EQUAL", ["value"] = B64(expected) }),
            ["success"] = new JsonArray(new JsonObject { ["request_delete_range"] = new JsonObject { ["key"] = B64(key) } }),
        };
        var reply = await CallAsync("v3/kv/txn", body, cancellationToken);
        return reply["succeeded"]?.GetValue<bool>() == true;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await CallAsync("v3/kv/deleterange", new JsonObject { ["key"] = B64(key) }, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>The first key after every key starting with <paramref name="prefix"/> (etcd's range_end for a prefix).</summary>
    internal static string PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return Encoding.UTF8.GetString(bytes, 0, i + 1);
            }
        }

        return "\0";
    }

    private static JsonObject PutBody(string key, string value, long lease)
    {
        var put = new JsonObject { ["key"] = B64(key), ["value"] = B64(value) };
        if (lease != 0)
        {
            put["lease"] = lease.ToString(CultureInfo.InvariantCulture);
        }

        return put;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Text(JsonNode? node) => node is null ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(node.GetValue<string>()));

    private static long Long(JsonNode? node) => node is null ? 0 : long.Parse(node.ToString(), CultureInfo.InvariantCulture);

    private static List<EtcdKeyValue> KeyValues(JsonNode reply) =>
        reply["kvs"]?.AsArray().Where(kv => kv is not null)
            .Select(kv => new EtcdKeyValue(Text(kv!["key"]), Text(kv["value"]), Long(kv["lease"]), Long(kv["create_revision"]), Long(kv["mod_revision"])))
            .ToList() ?? [];

    private async Task<JsonNode> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var index = Volatile.Read(ref _current) % _endpoints.Count;
        var endpoint = _endpoints[index];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.PostAsJsonAsync(new Uri(endpoint, path), body, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var reply = JsonNode.Parse(text) ?? throw new EtcdUnavailableException($"etcd {endpoint} answered {path} with nothing");
            if (!response.IsSuccessStatusCode || reply["error"] is not null)
            {
                throw new EtcdUnavailableException($"etcd {endpoint} refused {path}: {(int)response.StatusCode} {reply["error"] ?? reply["message"]}");
            }

            return reply;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or EtcdUnavailableException && !cancellationToken.IsCancellationRequested)
        {
            // Move on: the next call tries the next member.
            Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Count, index);
            throw ex as EtcdUnavailableException ?? new EtcdUnavailableException($"etcd {endpoint} did not answer {path}: {(ex is OperationCanceledException ? $"no reply within {_timeout.TotalMilliseconds:F0} ms" : ex.Message)}", ex);
        }
    }
}
