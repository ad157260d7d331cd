using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Testing;

/// <summary>Thin typed access to a host agent's REST API for tests; failures keep the problem details.</summary>
public sealed class HostApi(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonDefaults.Options), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return new ApiResult(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Uploads a file as the raw request body (the content library's import).</summary>
    public async Task<ApiResult> UploadAsync(string path, string file)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        return new ApiResult(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<Hyperion.Contracts.Migrations.HostMigrationsDto> ListMigrationsAsync() =>
        (await SendAsync(HttpMethod.Get, "/api/migrations")).As<Hyperion.Contracts.Migrations.HostMigrationsDto>();

    public async Task<HostInfoDto> HostInfoAsync() => (await SendAsync(HttpMethod.Get, "/api/host")).As<HostInfoDto>();

    public async Task<VmDto> GetVmAsync(string name) => (await SendAsync(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(name)}")).As<VmDto>();

    public async Task<IReadOnlyList<VmDto>> ListVmsAsync() => (await SendAsync(HttpMethod.Get, "/api/vms")).As<List<VmDto>>();

    public async Task<VmDto> CreateVmAsync(VmCreateRequest request) => (await SendAsync(HttpMethod.Post, "/api/vms", request)).As<VmDto>(HttpStatusCode.Created);

    public async Task<VmDto> CreateTinyAsync(string name, string? kernelArgs = null, long memoryMiB = 128, params VmDiskRequest[] disks) =>
        await CreateVmAsync(new VmCreateRequest { Name = name, Cpus = 1, MemoryMiB = memoryMiB, Image = "tiny", KernelArgs = kernelArgs, Disks = disks });

    public Task<ApiResult> PowerAsync(string name, string verb, object? body = null) =>
        SendAsync(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(name)}/{verb}", body);

    public async Task<VmDto> PowerOkAsync(string name, string verb) => (await PowerAsync(name, verb)).As<VmDto>();

    public async Task<string> SerialAsync(string name)
    {
        var result = await SendAsync(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(name)}/console/serial");
        result.EnsureStatus(HttpStatusCode.OK);
        return result.Body;
    }

    public async Task<IReadOnlyList<EventDto>> EventsAsync(string? vmId = null) =>
        (await SendAsync(HttpMethod.Get, vmId is null ? "/api/events" : $"/api/events?vm={vmId}")).As<List<EventDto>>();

    /// <summary>Waits until the serial log shows tick <paramref name="atLeast"/> or later; returns the log.</summary>
    public Task<string> WaitForTickAsync(string name, int atLeast, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => SerialAsync(name), log => TinyGuestLog.LastTick(log) >= atLeast, timeout ?? TimeSpan.FromSeconds(90), $"tick {atLeast} on {name}'s serial console");

    public void Dispose() => Http.Dispose();
}
