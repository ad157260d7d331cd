using System.Net.Http.Headers;
using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Api;

/// <summary>A host agent's content library and OVA export: files go up and down as streams, never whole in memory.</summary>
public sealed partial class HyperionApiClient
{
    public Task<LibraryItemDto[]> ListLibraryAsync(CancellationToken ct) =>
        SendAsync<LibraryItemDto[]>(HttpMethod.Get, "api/library", null, ct);

    /// <summary>Uploads <paramref name="file"/> as a library item (type and name from the file when not given).</summary>
    public async Task<LibraryItemDto> ImportLibraryItemAsync(string file, string? name, string? type, string? datastore, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(stream, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = stream.Length;
        var path = WithQuery("api/library", [("name", name), ("type", type), ("datastore", datastore), ("fileName", Path.GetFileName(file))]);
        return await SendAsync<LibraryItemDto>(HttpMethod.Post, path, content, ct);
    }

    public Task DeleteLibraryItemAsync(string item, CancellationToken ct) =>
        SendWithoutResultAsync(HttpMethod.Delete, "api/library/" + Uri.EscapeDataString(item), null, ct);

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
