using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;

namespace Hyperion.Center.Hosts;

/// <summary>A host's content library and OVA export, as the Center relays them (files streamed through, never buffered).</summary>
public sealed partial class HostAgentClient
{
    /// <summary>An upload or download of a whole image.</summary>
    public static readonly TimeSpan TransferTimeout = TimeSpan.FromHours(2);

    public Task<List<LibraryItemDto>> ListLibraryAsync(CancellationToken cancellationToken) =>
        SendAsync<List<LibraryItemDto>>(HttpMethod.Get, "/api/library", null, RequestTimeout, cancellationToken);

    /// <summary>Relays an upload: <paramref name="query"/> is the import's query string (name, type, datastore, fileName).</summary>
    public Task<LibraryItemDto> ImportLibraryItemAsync(string query, Stream content, long? length, CancellationToken cancellationToken)
    {
        var body = new StreamContent(content, 1 << 20);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = length;
        return SendAsync<LibraryItemDto>(HttpMethod.Post, "/api/library" + query, body, TransferTimeout, cancellationToken);
    }

    public Task DeleteLibraryItemAsync(string item, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Delete, $"/api/library/{Uri.EscapeDataString(item)}", null, RequestTimeout, cancellationToken);

    public Task<VmDto> DeployLibraryItemAsync(string item, LibraryDeployRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/library/{Uri.EscapeDataString(item)}/deploy", request, TransferTimeout, cancellationToken);

    /// <summary>The VM's OVA as a response whose body is still to be read (the caller streams and disposes it).</summary>
    public Task<HttpResponseMessage> OpenExportAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendRawAsync(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/export", null, TransferTimeout, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
}
