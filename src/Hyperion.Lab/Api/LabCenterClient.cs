using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Lab.Api;

/// <summary>
/// The Center calls the lab makes. Operations that the Center runs as tasks (<c>202 Accepted</c> with a
/// <see cref="TaskDto"/>) are followed to their end; a synchronous <c>201</c>/<c>200</c> answer is taken as is.
/// </summary>
public sealed class LabCenterClient(LabApiClient api, TimeProvider time)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(180);

    public LabApiClient Api => api;

    public async Task<DatacenterDto> CreateDatacenterAsync(string name, CancellationToken cancellationToken) =>
        (await api.PostAsync("/api/datacenters", new DatacenterCreateRequest(name), cancellationToken)).Read<DatacenterDto>(HttpStatusCode.Created);

    public async Task<ClusterDto> CreateClusterAsync(string name, string datacenter, CancellationToken cancellationToken) =>
        (await api.PostAsync("/api/clusters", new ClusterCreateRequest(name, datacenter), cancellationToken)).Read<ClusterDto>(HttpStatusCode.Created);

    /// <summary>Adds a host with its fingerprint already confirmed (the lab started the agent and read it).</summary>
    public async Task<HostDto> AddHostAsync(HostAddRequest request, CancellationToken cancellationToken)
    {
        var response = await api.PostAsync("/api/hosts", request, cancellationToken);
        return Deserialize<HostDto>(await CompleteAsync(response, $"adding host {request.Address}", cancellationToken), response);
    }

    /// <summary>
    /// Creates a VM through the Center and returns its Center id; null when this Center has no VM create endpoint
    /// (404 <c>request.not-found</c> / 405), so the caller can fall back to the host agent.
    /// </summary>
    public async Task<string?> TryCreateVmAsync(CenterVmCreateRequest request, CancellationToken cancellationToken)
    {
        var response = await api.PostAsync("/api/vms", request, cancellationToken);
        if (IsMissingEndpoint(response))
        {
            return null;
        }

        var result = await CompleteAsync(response, $"creating VM {request.Spec?.Name}", cancellationToken);
        return result is { ValueKind: JsonValueKind.Object } vm && vm.TryGetProperty("id", out var id) && id.GetString() is { } text
            ? text
            : throw new LabException($"the Center created VM {request.Spec?.Name} but its answer has no id: {result}");
    }

    public async Task PowerOnVmAsync(string id, CancellationToken cancellationToken) =>
        await CompleteAsync(await api.PostAsync($"/api/vms/{Uri.EscapeDataString(id)}/power-on", null, cancellationToken), $"powering on VM {id}", cancellationToken);

    public Task<IReadOnlyList<HostDto>> ListHostsAsync(CancellationToken cancellationToken) => ListAsync<HostDto>("/api/hosts", cancellationToken);

    public Task<IReadOnlyList<CenterVmDto>> ListVmsAsync(CancellationToken cancellationToken) => ListAsync<CenterVmDto>("/api/vms", cancellationToken);

    /// <summary>Every item of a Center list: a plain JSON array, or <see cref="PageDto{T}"/> pages followed through their cursors.</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(string path, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var next = path;
        for (var page = 0; next is not null; page++)
        {
            var response = await api.GetAsync(next, cancellationToken);
            if (response.Status == HttpStatusCode.OK && response.Body.TrimStart().StartsWith('['))
            {
                return response.Read<List<T>>(HttpStatusCode.OK);
            }

            var dto = response.Read<PageDto<T>>(HttpStatusCode.OK);
            items.AddRange(dto.Items ?? []);
            if (page >= 1000)
            {
                throw new LabException($"GET {path}: more than 1000 pages");
            }

            next = dto.Next is null ? null : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}cursor={Uri.EscapeDataString(dto.Next)}";
        }

        return items;
    }

    /// <summary>True for "no such route" answers, not for a refusal by an existing endpoint (e.g. 404 inventory.not-found).</summary>
    public static bool IsMissingEndpoint(LabApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Status == HttpStatusCode.MethodNotAllowed
            || (response.Status == HttpStatusCode.NotFound && response.Problem()?.Code is null or "request.not-found");
    }

    /// <summary>The operation's answer: the body of a 200/201, or the result of the task a 202 started (waited for).</summary>
    /// <exception cref="LabException">Refused, the task failed, or it did not end in time.</exception>
    public async Task<JsonElement?> CompleteAsync(LabApiResponse response, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.Status)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created:
                return response.Body.Length == 0 ? null : JsonSerializer.Deserialize<JsonElement>(response.Body, JsonDefaults.Options);
            case HttpStatusCode.Accepted:
                var task = response.Read<TaskDto>(HttpStatusCode.Accepted);
                return await WaitForTaskAsync(task, what, cancellationToken);
            case HttpStatusCode.NoContent:
                return null;
            default:
                throw response.Failure();
        }
    }

    private async Task<JsonElement?> WaitForTaskAsync(TaskDto task, string what, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TaskTimeout;
        while (true)
        {
            switch (task.State)
            {
                case "success":
                    return task.Result;
                case "error" or "cancelled":
                    throw new LabException($"{what} failed (task {task.Id} {task.State}): {task.Error?.Message} ({task.Error?.Code})");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new LabException($"{what}: task {task.Id} still {task.State} after {TaskTimeout.TotalSeconds:F0} s");
            }

            // The Center long-polls with waitSeconds; an older one ignores it and answers at once, hence the pause.
            task = (await api.GetAsync($"/api/tasks/{Uri.EscapeDataString(task.Id)}?waitSeconds=5", cancellationToken)).Read<TaskDto>(HttpStatusCode.OK);
            if (task.State is not ("success" or "error" or "cancelled"))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
        }
    }

    private static T Deserialize<T>(JsonElement? element, LabApiResponse response) =>
        element is { } value
            ? value.Deserialize<T>(JsonDefaults.Options) ?? throw new LabException($"{response.Method} {response.Path}: empty result")
            : throw new LabException($"{response.Method} {response.Path}: the operation returned no result");
}
