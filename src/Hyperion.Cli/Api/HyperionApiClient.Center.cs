using System.Globalization;
using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Api;

/// <summary>
/// The Center's resources. Lists are read whole by following each page's <c>next</c> cursor (or up to a maximum);
/// a list answered as a plain array (an older Center) is accepted too. Operations answer with the object, or with
/// <c>202 Accepted</c> and the task that performs them (<see cref="OperationResponse{T}"/>).
/// </summary>
public sealed partial class HyperionApiClient
{
    /// <summary>The largest page the CLI asks the Center for.</summary>
    public const int MaxPageSize = 1000;

    public Task<IReadOnlyList<DatacenterDto>> ListDatacentersAsync(CancellationToken ct) =>
        ListAllAsync<DatacenterDto>("api/datacenters", [], null, ct);

    public Task<OperationResponse<DatacenterDto>> CreateDatacenterAsync(DatacenterCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<DatacenterDto>(HttpMethod.Post, "api/datacenters", JsonContent(request), ct);

    public Task<IReadOnlyList<ClusterDto>> ListClustersAsync(CancellationToken ct) =>
        ListAllAsync<ClusterDto>("api/clusters", [], null, ct);

    public Task<OperationResponse<ClusterDto>> CreateClusterAsync(ClusterCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<ClusterDto>(HttpMethod.Post, "api/clusters", JsonContent(request), ct);

    public Task<OperationResponse<ClusterDto>> SetClusterCpuBaselineAsync(string clusterId, ClusterCpuBaselineRequest request, CancellationToken ct) =>
        SendOperationAsync<ClusterDto>(HttpMethod.Put, $"api/clusters/{Uri.EscapeDataString(clusterId)}/cpu-baseline", JsonContent(request), ct);

    public Task<OperationResponse<ClusterDto>> SetClusterHaAsync(string clusterId, ClusterHaRequest request, CancellationToken ct) =>
        SendOperationAsync<ClusterDto>(HttpMethod.Put, $"api/clusters/{Uri.EscapeDataString(clusterId)}/ha", JsonContent(request), ct);

    public Task<ClusterHaStatusDto> GetClusterHaStatusAsync(string clusterId, CancellationToken ct) =>
        SendAsync<ClusterHaStatusDto>(HttpMethod.Get, $"api/clusters/{Uri.EscapeDataString(clusterId)}/ha", null, ct);

    public Task<CenterVmDto> SetCenterVmHaAsync(string id, Contracts.Ha.VmHaRequest request, CancellationToken ct) =>
        SendAsync<CenterVmDto>(HttpMethod.Put, ResourcePath("api/vms", id) + "/ha", JsonContent(request), ct);

    public Task<IReadOnlyList<HostDto>> ListCenterHostsAsync(CancellationToken ct) =>
        ListAllAsync<HostDto>("api/hosts", [], null, ct);

    public Task<IReadOnlyList<CenterDatastoreDto>> ListCenterDatastoresAsync(CancellationToken ct) =>
        ListAllAsync<CenterDatastoreDto>("api/datastores", [], null, ct);

    public Task<HostDto> GetCenterHostAsync(string id, CancellationToken ct) =>
        SendAsync<HostDto>(HttpMethod.Get, ResourcePath("api/hosts", id), null, ct);

    public Task<OperationResponse<HostDto>> AddHostAsync(HostAddRequest request, CancellationToken ct) =>
        SendOperationAsync<HostDto>(HttpMethod.Post, "api/hosts", JsonContent(request), ct);

    public Task<OperationResponse<HostDto>> RemoveHostAsync(string id, CancellationToken ct) =>
        SendOperationAsync<HostDto>(HttpMethod.Delete, ResourcePath("api/hosts", id), null, ct);

    /// <param name="name">Only VMs with this name (the filter is applied here as well, for a Center that ignores it).</param>
    public async Task<IReadOnlyList<CenterVmDto>> ListCenterVmsAsync(string? name, CancellationToken ct)
    {
        var vms = await ListAllAsync<CenterVmDto>("api/vms", [("name", name)], null, ct);
        return name is null ? vms : [.. vms.Where(v => string.Equals(v.Name, name, StringComparison.Ordinal))];
    }

    public Task<CenterVmDto> GetCenterVmAsync(string id, CancellationToken ct) =>
        SendAsync<CenterVmDto>(HttpMethod.Get, ResourcePath("api/vms", id), null, ct);

    public Task<OperationResponse<CenterVmDto>> CreateCenterVmAsync(CenterVmCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<CenterVmDto>(HttpMethod.Post, "api/vms", JsonContent(request), ct);

    /// <summary><c>POST /api/vms/{id}/{action}</c>: power-on, power-off, reset, suspend, resume, shutdown.</summary>
    public Task<OperationResponse<CenterVmDto>> CenterVmActionAsync(string id, string action, object? body, CancellationToken ct) =>
        SendOperationAsync<CenterVmDto>(HttpMethod.Post, ResourcePath("api/vms", id) + "/" + action, body is null ? null : JsonContent(body), ct);

    public Task<OperationResponse<CenterVmDto>> ReconfigureCenterVmAsync(string id, VmReconfigureRequest request, CancellationToken ct) =>
        SendOperationAsync<CenterVmDto>(HttpMethod.Patch, ResourcePath("api/vms", id), JsonContent(request), ct);

    public Task<OperationResponse<VmMigrationResultDto>> MigrateCenterVmAsync(string id, VmMigrateRequest request, CancellationToken ct) =>
        SendOperationAsync<VmMigrationResultDto>(HttpMethod.Post, ResourcePath("api/vms", id) + "/migrate", JsonContent(request), ct);

    /// <summary><c>GET /api/vms/{vm}/snapshots</c> (host agent: id or name; Center: its id).</summary>
    public Task<SnapshotTreeDto> ListSnapshotsAsync(string vm, CancellationToken ct) =>
        SendAsync<SnapshotTreeDto>(HttpMethod.Get, ResourcePath("api/vms", vm) + "/snapshots", null, ct);

    /// <summary>Taken at once by a host agent (201), as a task by a Center (202).</summary>
    public Task<OperationResponse<SnapshotDto>> CreateSnapshotAsync(string vm, SnapshotCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<SnapshotDto>(HttpMethod.Post, ResourcePath("api/vms", vm) + "/snapshots", JsonContent(request), ct);

    /// <summary>The VM afterwards (a host's VmDto or a Center's CenterVmDto: read as JSON).</summary>
    public Task<OperationResponse<JsonElement>> RevertSnapshotAsync(string vm, string snapshot, CancellationToken ct) =>
        SendOperationAsync<JsonElement>(HttpMethod.Post, ResourcePath("api/vms", vm) + "/snapshots/" + Uri.EscapeDataString(snapshot) + "/revert", null, ct);

    public Task<OperationResponse<JsonElement>> DeleteSnapshotAsync(string vm, string snapshot, CancellationToken ct) =>
        SendOperationAsync<JsonElement>(HttpMethod.Delete, ResourcePath("api/vms", vm) + "/snapshots/" + Uri.EscapeDataString(snapshot), null, ct);

    /// <summary><c>POST /api/vms/{vm}/clone</c>: a host agent answers the new VM (201), a Center the task making it (202).</summary>
    public Task<OperationResponse<JsonElement>> CloneVmAsync(string vm, object request, CancellationToken ct) =>
        SendOperationAsync<JsonElement>(HttpMethod.Post, ResourcePath("api/vms", vm) + "/clone", JsonContent(request), ct);

    /// <summary><c>mark-template</c> or <c>mark-vm</c>: the VM afterwards (host agent) or a task (Center).</summary>
    public Task<OperationResponse<JsonElement>> MarkTemplateAsync(string vm, bool template, CancellationToken ct) =>
        SendOperationAsync<JsonElement>(HttpMethod.Post, ResourcePath("api/vms", vm) + (template ? "/mark-template" : "/mark-vm"), null, ct);

    /// <summary>The Center's templates.</summary>
    public Task<IReadOnlyList<CenterVmDto>> ListCenterTemplatesAsync(CancellationToken ct) =>
        ListAllAsync<CenterVmDto>("api/vms", [("template", "true")], null, ct);

    public Task<OperationResponse<CenterVmDto>> DeleteCenterVmAsync(string id, CancellationToken ct) =>
        SendOperationAsync<CenterVmDto>(HttpMethod.Delete, ResourcePath("api/vms", id), null, ct);

    public Task<OperationResponse<UserDto>> CreateUserAsync(UserCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<UserDto>(HttpMethod.Post, "api/users", JsonContent(request), ct);

    public Task<OperationResponse<PermissionDto>> AddPermissionAsync(PermissionCreateRequest request, CancellationToken ct) =>
        SendOperationAsync<PermissionDto>(HttpMethod.Post, "api/permissions", JsonContent(request), ct);

    /// <summary><c>GET /api/inventory/resolve?path=</c>: the object at an inventory path such as <c>/DC1/host/Cluster1</c>.</summary>
    public Task<InventoryObjectDto> ResolveInventoryPathAsync(string path, CancellationToken ct) =>
        SendAsync<InventoryObjectDto>(HttpMethod.Get, WithQuery("api/inventory/resolve", [("path", path)]), null, ct);

    /// <summary>The Center's events, newest first.</summary>
    /// <param name="objectName">Events about the object with this id or name.</param>
    /// <param name="type">An event type, or a prefix such as <c>vm.</c>.</param>
    /// <param name="from">Events at or after this time.</param>
    /// <param name="to">Events before this time.</param>
    /// <param name="max">At most this many events; all of them when null.</param>
    public Task<IReadOnlyList<CenterEventDto>> ListCenterEventsAsync(string? objectName, string? type, DateTimeOffset? from, DateTimeOffset? to, int? max, CancellationToken ct) =>
        ListAllAsync<CenterEventDto>(
            "api/events",
            [("object", objectName), ("type", type), ("from", from?.ToString("o", CultureInfo.InvariantCulture)), ("to", to?.ToString("o", CultureInfo.InvariantCulture))],
            max,
            ct);

    public Task<TaskDto> GetTaskAsync(string id, CancellationToken ct) =>
        SendAsync<TaskDto>(HttpMethod.Get, ResourcePath("api/tasks", id), null, ct);

    public Task<IReadOnlyList<TaskDto>> ListTasksAsync(string? state, string? target, int? max, CancellationToken ct) =>
        ListAllAsync<TaskDto>("api/tasks", [("state", state), ("target", target)], max, ct);

    public Task<TaskDto> CancelTaskAsync(string id, CancellationToken ct) =>
        SendAsync<TaskDto>(HttpMethod.Post, ResourcePath("api/tasks", id) + "/cancel", null, ct);

    private static string ResourcePath(string collection, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return collection + "/" + Uri.EscapeDataString(id);
    }

    private static string WithQuery(string path, IEnumerable<(string Name, string? Value)> query)
    {
        var parts = query.Where(q => q.Value is not null).Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value!)).ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }

    /// <summary>Every item of a list, following <c>next</c> cursors, or the first <paramref name="max"/>.</summary>
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, IReadOnlyList<(string Name, string? Value)> filters, int? max, CancellationToken ct)
    {
        var items = new List<T>();
        string? cursor = null;
        while (true)
        {
            var limit = max is { } m ? Math.Min(m - items.Count, MaxPageSize).ToString(CultureInfo.InvariantCulture) : null;
            var query = filters.Append(("limit", limit)).Append(("cursor", cursor));
            using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, WithQuery(path, query)), HttpCompletionOption.ResponseContentRead, ct);
            var body = await ReadJsonAsync<JsonElement>(response, ct);
            string? next;
            try
            {
                if (body.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(body.Deserialize<T[]>(JsonDefaults.Options) ?? []);
                    next = null;
                }
                else
                {
                    var page = body.Deserialize<PageDto<T>>(JsonDefaults.Options) ?? throw EmptyResponse(response.StatusCode);
                    items.AddRange(page.Items ?? []);
                    next = page.Next;
                }
            }
            catch (JsonException ex)
            {
                throw BadResponse(response.StatusCode, ex);
            }

            if (next is null || next == cursor || (max is { } most && items.Count >= most))
            {
                break;
            }

            cursor = next;
        }

        return max is { } limitTotal && items.Count > limitTotal ? items.GetRange(0, limitTotal) : items;
    }

    private async Task<OperationResponse<T>> SendOperationAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(method, path) { Content = content }, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return new OperationResponse<T>(default, await ReadJsonAsync<TaskDto>(response, ct));
        }

        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return new OperationResponse<T>(default, null);
        }

        return new OperationResponse<T>(await ReadJsonAsync<T>(response, ct), null);
    }
}
