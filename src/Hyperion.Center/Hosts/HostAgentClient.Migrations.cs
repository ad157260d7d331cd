using System.Globalization;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Migrations;
using Hyperion.Contracts.Vms;

namespace Hyperion.Center.Hosts;

/// <summary>The host agent's live-migration calls (both ends) and the register/unregister pair of a cold migration.</summary>
public sealed partial class HostAgentClient
{
    /// <summary>Starting the destination's QEMU may take a while on a loaded host.</summary>
    private static readonly TimeSpan PrepareTimeout = TimeSpan.FromSeconds(60);

    public Task<MigrationIncomingDto> PrepareIncomingMigrationAsync(MigrationIncomingRequest request, CancellationToken cancellationToken) =>
        SendAsync<MigrationIncomingDto>(HttpMethod.Post, "/api/migrations/incoming", request, PrepareTimeout, cancellationToken);

    public Task<MigrationFinishedDto> FinishIncomingMigrationAsync(string migrationId, CancellationToken cancellationToken) =>
        SendAsync<MigrationFinishedDto>(HttpMethod.Post, $"/api/migrations/incoming/{Uri.EscapeDataString(migrationId)}/finish", null, RequestTimeout, cancellationToken);

    public Task AbortIncomingMigrationAsync(string migrationId, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Delete, $"/api/migrations/incoming/{Uri.EscapeDataString(migrationId)}", null, RequestTimeout, cancellationToken);

    /// <summary>Shared-nothing: the source VM's configuration and disk sizes, for the destination to create its copy.</summary>
    public Task<MigrationSourceDto> GetMigrationSourceAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<MigrationSourceDto>(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration/source", null, PrepareTimeout, cancellationToken);

    /// <summary>Shared-nothing: appends <paramref name="content"/> to the arriving VM's serial log, whose length must be <paramref name="offset"/>.</summary>
    public async Task<long> AppendIncomingSerialLogAsync(string migrationId, long offset, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var result = await SendAsync<MigrationSerialLogDto>(
            HttpMethod.Post, string.Create(CultureInfo.InvariantCulture, $"/api/migrations/incoming/{Uri.EscapeDataString(migrationId)}/serial-log?offset={offset}"), body, RequestTimeout, cancellationToken);
        return result.Length;
    }

    /// <summary>The host's migrations under way, both directions.</summary>
    public Task<HostMigrationsDto> ListMigrationsAsync(CancellationToken cancellationToken) =>
        SendAsync<HostMigrationsDto>(HttpMethod.Get, "/api/migrations", null, RequestTimeout, cancellationToken);

    public Task<List<VmDto>> ListVmsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<VmDto>>(HttpMethod.Get, "/api/vms", null, RequestTimeout, cancellationToken);

    /// <summary>Sets (or clears) the cluster's CPU baseline on the host.</summary>
    public Task<HostCpuBaselineDto> SetCpuBaselineAsync(string? model, CancellationToken cancellationToken) =>
        SendAsync<HostCpuBaselineDto>(HttpMethod.Put, "/api/host/cpu-baseline", new HostCpuBaselineRequest(model), RequestTimeout, cancellationToken);

    public Task<MigrationStatusDto> StartMigrationAsync(string hostLocalId, MigrationStartRequest request, CancellationToken cancellationToken) =>
        SendAsync<MigrationStatusDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration", request, RequestTimeout, cancellationToken);

    /// <summary>The migration's status once its version passes <paramref name="after"/>, or after <paramref name="wait"/> (long poll).</summary>
    public Task<MigrationStatusDto> GetMigrationAsync(string hostLocalId, long after, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync<MigrationStatusDto>(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration?after={after}&waitMs={(int)wait.TotalMilliseconds}"),
            null,
            RequestTimeout + wait,
            cancellationToken);

    public Task<MigrationStatusDto> CancelMigrationAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<MigrationStatusDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration/cancel", null, RequestTimeout, cancellationToken);

    public Task SwitchOverMigrationAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration/switch-over", null, RequestTimeout, cancellationToken);

    public Task<VmDto> ResumeAfterMigrationAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/migration/resume", null, RequestTimeout, cancellationToken);

    public Task<VmDto> RegisterVmAsync(VmRegisterRequest request, CancellationToken cancellationToken) =>
        SendAsync<VmDto>(HttpMethod.Post, "/api/vms/register", request, RequestTimeout, cancellationToken);

    public Task UnregisterVmAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/unregister", null, RequestTimeout, cancellationToken);

    public Task<StorageMigrationStatusDto> StartStorageMigrationAsync(string hostLocalId, StorageMigrationRequest request, CancellationToken cancellationToken) =>
        SendAsync<StorageMigrationStatusDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/storage-migration", request, PrepareTimeout, cancellationToken);

    /// <summary>The storage migration's status once its version passes <paramref name="after"/>, or after <paramref name="wait"/> (long poll).</summary>
    public Task<StorageMigrationStatusDto> GetStorageMigrationAsync(string hostLocalId, long after, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync<StorageMigrationStatusDto>(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/storage-migration?after={after}&waitMs={(int)wait.TotalMilliseconds}"),
            null,
            RequestTimeout + wait,
            cancellationToken);

    public Task<StorageMigrationStatusDto> CancelStorageMigrationAsync(string hostLocalId, CancellationToken cancellationToken) =>
        SendAsync<StorageMigrationStatusDto>(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(hostLocalId)}/storage-migration/cancel", null, RequestTimeout, cancellationToken);
}
