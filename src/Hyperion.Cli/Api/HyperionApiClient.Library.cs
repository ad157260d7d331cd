using System.Net.Http.Headers;
using System.Text.Json;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Api;

/// <summary>A host agent's content library and OVA export: files go up and down as streams, never whole in memory.</summary>
public sealed partial class HyperionApiClient
{
    public Task<LibraryItemDto[]> ListLibraryAsync(CancellationToken ct) =>
        SendAsync<LibraryItemDto[]>(HttpMethod.Get, "api/library", null, ct);

    public Task<CenterLibraryItemDto[]> ListCenterLibraryAsync(CancellationToken ct) =>
        SendAsync<CenterLibraryItemDto[]>(HttpMethod.Get, "api/library", null, ct);

    /// <summary>Uploads <paramref name="file"/> as a library item (type and name from the file when not given); on a
    /// Center, <paramref name="host"/> picks the host to keep it. The answer is the item (a Center's names its host).</summary>
    public async Task<JsonElement> ImportLibraryItemAsync(string file, string? name, string? type, string? datastore, string? host, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(stream, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = stream.Length;
        var path = WithQuery("api/library", [("name", name), ("type", type), ("datastore", datastore), ("fileName", Path.GetFileName(file)), ("host", host)]);
        return await SendAsync<JsonElement>(HttpMethod.Post, path, content, ct);
    }

    public Task DeleteLibraryItemAsync(string item, string? host, CancellationToken ct) =>
        SendWithoutResultAsync(HttpMethod.Delete, WithQuery("api/library/" + Uri.EscapeDataString(item), [("host", host)]), null, ct);

    /// <summary>A Center's deploy: a task whose result is the new VM.</summary>
    public Task<OperationResponse<CenterVmDto>> DeployCenterLibraryItemAsync(string item, CenterLibraryDeployRequest request, CancellationToken ct) =>
        SendOperationAsync<CenterVmDto>(HttpMethod.Post, "api/library/" + Uri.EscapeDataString(item) + "/deploy", JsonContent(request), ct);

    public Task<VmDto> DeployLibraryItemAsync(string item, LibraryDeployRequest request, CancellationToken ct) =>
        SendAsync<VmDto>(HttpMethod.Post, "api/library/" + Uri.EscapeDataString(item) + "/deploy", JsonContent(request), ct);

    /// <summary>Downloads the powered-off VM as an OVA into <paramref name="destination"/>; returns the bytes written.</summary>
    public async Task<long> ExportVmAsync(string vm, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, VmPath(vm, "export")), HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var before = destination.CanSeek ? destination.Position : 0;
        await body.CopyToAsync(destination, 1 << 20, ct);
        return destination.CanSeek ? destination.Position - before : 0;
    }
}
