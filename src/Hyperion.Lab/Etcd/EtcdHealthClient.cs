using System.Net;
using System.Text;
using System.Text.Json;

namespace Hyperion.Lab.Etcd;

/// <summary>
/// Asks lab etcd members how they are, over their plain-HTTP client URL from the root namespace (the bridge reaches
/// every host address): <c>GET /health</c> (<c>{"health":"true"}</c> once the member sees a leader and a quorum) and
/// the v3 JSON gateway's <c>POST /v3/cluster/member/list</c>.
/// </summary>
public static class EtcdHealthClient
{
    // No proxy: the lab's addresses are local, and a proxy from the environment would answer for them.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    /// <summary>True when the member at <paramref name="clientUrl"/> answers <c>/health</c> with <c>"health":"true"</c>; false when it answers otherwise or not at all.</summary>
    public static async Task<bool> IsHealthyAsync(string clientUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(new Uri(clientUrl), "/health"), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK && IsHealthyAnswer(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The member names the cluster lists, asked of <paramref name="clientUrl"/>.</summary>
    /// <exception cref="LabException">The member did not answer, or not with a member list.</exception>
    public static async Task<IReadOnlyList<string>> ListMemberNamesAsync(string clientUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync(new Uri(new Uri(clientUrl), "/v3/cluster/member/list"), content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? ParseMemberNames(body)
                : throw new LabException($"etcd at {clientUrl}: member list answered {(int)response.StatusCode}: {body}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new LabException($"etcd at {clientUrl} did not answer: {ex.Message}", ex);
        }
    }

    /// <summary>Pure: <c>{"health":"true"}</c> (3.4 also adds <c>"reason"</c> in later patch releases).</summary>
    public static bool IsHealthyAnswer(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("health", out var health)
                && health.ValueKind == JsonValueKind.String
                && health.GetString() == "true";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Pure: the <c>name</c> of each entry of a member list answer (a member that has not started yet has none: empty).</summary>
    public static IReadOnlyList<string> ParseMemberNames(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
            {
                throw new LabException($"not an etcd member list: {body}");
            }

            return members.EnumerateArray()
                .Select(m => m.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : string.Empty)
                .ToList();
        }
        catch (JsonException ex)
        {
            throw new LabException($"not an etcd member list: {ex.Message}", ex);
        }
    }
}
