using Hyperion.Contracts.Migrations;
using Hyperion.Domain.Errors;
using Hyperion.Host.Vms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

/// <summary>
/// Live migration, as the Center drives it (host-internal, like vCenter's calls to ESXi): the destination's incoming
/// side under <c>/api/migrations/incoming</c>, the source's side under <c>/api/vms/{id}/migration</c>.
/// </summary>
public static class MigrationsApi
{
    /// <summary>Longest long-poll of a migration's status.</summary>
    private const int MaxWaitMs = 30_000;

    /// <summary>Carries an arrival's switch-over token (the source host has no credentials of its own here).</summary>
    public const string SwitchoverTokenHeader = "X-Hyperion-Switchover-Token";

    public static IEndpointRouteBuilder MapMigrationsApi(this IEndpointRouteBuilder routes)
    {
        var incoming = routes.MapGroup("/api/migrations/incoming").WithTags("Migrations")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status500InternalServerError);
        routes.MapGet("/api/migrations", (VmService service) => TypedResults.Ok(service.ListMigrations()))
            .WithTags("Migrations").WithName("ListMigrations").ProducesProblem(StatusCodes.Status401Unauthorized);
        incoming.MapPost("/", async Task<Created<MigrationIncomingDto>> (MigrationIncomingRequest request, VmService service, CancellationToken ct) =>
        {
            var prepared = await service.PrepareIncomingAsync(request, ct);
            return TypedResults.Created($"/api/migrations/incoming/{prepared.MigrationId}", prepared);
        }).WithName("PrepareIncomingMigration");
        incoming.MapPost("/{migrationId}/finish", async (string migrationId, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.FinishIncomingAsync(migrationId, ct))).WithName("FinishIncomingMigration");
        incoming.MapPost("/{migrationId}/switchover", async (string migrationId, int? waitSeconds, HttpRequest http, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.SwitchoverIncomingAsync(migrationId, http.Headers[SwitchoverTokenHeader].ToString(), waitSeconds, ct)))
            .AllowAnonymous().WithName("SwitchoverIncomingMigration");
        incoming.MapPost("/{migrationId}/abort", async (string migrationId, HttpRequest http, VmService service, CancellationToken ct) =>
        {
            await service.AbortIncomingBySourceAsync(migrationId, http.Headers[SwitchoverTokenHeader].ToString(), ct);
            return TypedResults.NoContent();
        }).AllowAnonymous().WithName("AbortIncomingMigrationBySource");
        incoming.MapPost("/{migrationId}/serial-log", async (string migrationId, long offset, HttpRequest http, VmService service, CancellationToken ct) =>
        {
            var length = await service.AppendIncomingSerialLogAsync(migrationId, offset, http.Body, ct);
            return TypedResults.Ok(new MigrationSerialLogDto(length));
        }).WithName("AppendIncomingSerialLog").Accepts<byte[]>("application/octet-stream");
        incoming.MapDelete("/{migrationId}", async (string migrationId, VmService service, CancellationToken ct) =>
        {
            await service.AbortIncomingAsync(migrationId, ct);
            return TypedResults.NoContent();
        }).WithName("AbortIncomingMigration");

        var outgoing = routes.MapGroup("/api/vms/{idOrName}/migration").WithTags("Migrations")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status500InternalServerError);
        outgoing.MapPost("/", async Task<Accepted<MigrationStatusDto>> (string idOrName, MigrationStartRequest request, VmService service, CancellationToken ct) =>
            TypedResults.Accepted($"/api/vms/{idOrName}/migration", await service.StartMigrationAsync(idOrName, request, ct))).WithName("StartMigration");
        outgoing.MapGet("/", async (string idOrName, long? after, int? waitMs, VmService service, CancellationToken ct) =>
        {
            if (waitMs is < 0 or > MaxWaitMs)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"waitMs must be 0–{MaxWaitMs}", "waitMs"));
            }

            return TypedResults.Ok(await service.MigrationStatusAsync(idOrName, after ?? long.MaxValue, TimeSpan.FromMilliseconds(waitMs ?? 0), ct));
        }).WithName("GetMigration");
        outgoing.MapGet("/source", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.MigrationSourceAsync(idOrName, ct))).WithName("GetMigrationSource");
        outgoing.MapPost("/cancel", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.CancelMigrationAsync(idOrName, ct))).WithName("CancelMigration");
        outgoing.MapPost("/switch-over", async (string idOrName, VmService service, CancellationToken ct) =>
        {
            await service.SwitchOverAsync(idOrName, ct);
            return TypedResults.NoContent();
        }).WithName("SwitchOverMigration");
        outgoing.MapPost("/resume", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ResumeAfterMigrationAsync(idOrName, ct))).WithName("ResumeAfterMigration");

        var storage = routes.MapGroup("/api/vms/{idOrName}/storage-migration").WithTags("Migrations")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status500InternalServerError);
        storage.MapPost("/", async Task<Accepted<StorageMigrationStatusDto>> (string idOrName, StorageMigrationRequest request, VmService service, CancellationToken ct) =>
            TypedResults.Accepted($"/api/vms/{idOrName}/storage-migration", await service.StartStorageMigrationAsync(idOrName, request, ct))).WithName("StartStorageMigration");
        storage.MapGet("/", async (string idOrName, long? after, int? waitMs, VmService service, CancellationToken ct) =>
        {
            if (waitMs is < 0 or > MaxWaitMs)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"waitMs must be 0–{MaxWaitMs}", "waitMs"));
            }

            return TypedResults.Ok(await service.StorageMigrationStatusAsync(idOrName, after ?? long.MaxValue, TimeSpan.FromMilliseconds(waitMs ?? 0), ct));
        }).WithName("GetStorageMigration");
        storage.MapPost("/cancel", (string idOrName, VmService service) => TypedResults.Ok(service.CancelStorageMigration(idOrName))).WithName("CancelStorageMigration");
        return routes;
    }
}
