using System.Net;
using Hyperion.Center.Api;
using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Metrics;
using Hyperion.Center.Persistence;
using Hyperion.Center.Security;
using Hyperion.Center.Tags;
using Hyperion.Center.Tasks;
using Hyperion.Center.Vms;
using Hyperion.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Hyperion.Server.Problems;
using Hyperion.Server.Hosting;
using Hyperion.Server.Security;

namespace Hyperion.Center;

/// <summary>The Center process: the inventory database and its HTTPS REST API.</summary>
public static class CenterServer
{
    /// <summary>Runs the Center until <paramref name="cancellationToken"/> fires or the process is asked to stop.</summary>
    public static async Task<int> RunAsync(CenterOptions options, TextWriter console, CancellationToken cancellationToken, params IReadOnlyList<ICenterExtension> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        if (!IPEndPoint.TryParse(options.Listen, out var endpoint) || endpoint.Port == 0)
        {
            await console.WriteLineAsync($"error: --listen '{options.Listen}' is not ADDRESS:PORT (for example 127.0.0.1:9443)");
            return 2;
        }

        if (options.HostMonitorInterval <= TimeSpan.Zero || options.HostGrace < TimeSpan.Zero)
        {
            await console.WriteLineAsync("error: --host-monitor-interval must be positive and --host-grace not negative");
            return 2;
        }

        if (options.SessionIdleTimeout <= TimeSpan.Zero)
        {
            await console.WriteLineAsync("error: --session-idle-timeout must be positive");
            return 2;
        }

        if (options.MetricsInterval <= TimeSpan.Zero)
        {
            await console.WriteLineAsync("error: --metrics-interval must be positive");
            return 2;
        }

        var data = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = data };
        var database = options.ToDatabaseOptions();
        try
        {
            database.Validate();
        }
        catch (InvalidOperationException ex)
        {
            await console.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        Directory.CreateDirectory(data);
        var time = TimeProvider.System;
        await CenterDatabase.MigrateAsync(database, cancellationToken);
        var factory = new CenterDbContextFactory(database);
        var interrupted = await TaskManager.RecoverAsync(factory, time, cancellationToken);
        string? generated;
        await using (var db = factory.CreateDbContext())
        {
            generated = await AdministratorAccount.EnsureAsync(db, options.InitialAdminPassword, time, cancellationToken);
        }

        using var certificate = SelfSignedCertificate.LoadOrCreate(data, "center.pfx", "Hyperion Center", [endpoint.Address], time);
        var fingerprint = SelfSignedCertificate.Fingerprint(certificate);
        using var authority = CenterCertificateAuthority.LoadOrCreate(data, time);

        var builder = HttpsServerBuilder.Create(endpoint, certificate);
        // The base authentication handler logs every challenge at Information: noise for a rejected call.
        builder.Logging.AddFilter(typeof(CenterAuthenticationHandler).FullName, LogLevel.Warning);

        builder.Services
            .AddSingleton(options)
            .AddSingleton(time)
            .AddSingleton(factory)
            .AddSingleton<VerifiedPasswordCache>()
            .AddScoped(_ => factory.CreateDbContext())
            .AddScoped<UserAuthenticator>()
            .AddScoped<SessionStore>()
            .AddScoped<AccessControl>()
            .AddScoped<InventoryService>()
            .AddScoped<UserService>()
            .AddScoped<PermissionService>()
            .AddScoped<VmQueries>()
            .AddScoped<HostQueries>()
            .AddScoped<EventQueries>()
            .AddScoped<TagService>()
            .AddSingleton<IDbContextFactory<CenterDbContext>>(factory)
            .AddSingleton(new HostMonitorOptions { Interval = options.HostMonitorInterval, Grace = options.HostGrace })
            .AddSingleton<HostConnections>()
            .AddSingleton<HostInventoryVersions>()
            .AddSingleton(authority)
            .AddSingleton<HostCredentials>()
            .AddScoped<HostService>()
            .AddSingleton<HostMonitor>()
            .AddHostedService(sp => sp.GetRequiredService<HostMonitor>())
            .AddSingleton<TaskFeed>()
            .AddSingleton<TaskManager>()
            .AddHostedService(sp => sp.GetRequiredService<TaskManager>())
            .AddScoped<TaskService>()
            .AddScoped<CenterVmService>()
            .AddScoped<Library.CenterLibraryService>()
            .AddSingleton(new Migrations.MigrationSlots(options.MigrationsPerHost))
            .AddScoped<Migrations.MigrationService>()
            .AddScoped<Migrations.CpuBaselineService>()
            .AddScoped<Ha.ClusterHaService>()
            .AddSingleton<Migrations.MigrationRegistry>()
            .AddSingleton<Migrations.MigrationReconciler>()
            .AddHostedService(sp => sp.GetRequiredService<Migrations.MigrationReconciler>())
            .AddScoped<RoleService>()
            .AddSingleton<ConsoleTickets>()
            .AddScoped<StorageQueries>();
        builder.Services.AddHyperionOpenApi(CenterOpenApi.Title, CenterOpenApi.Description, CenterOpenApi.SecuritySchemes);
        builder.Services.AddCenterMetrics(new MetricsOptions { CollectInterval = options.MetricsInterval });
        builder.Services.AddAuthentication(CenterAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CenterAuthenticationHandler>(CenterAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        foreach (var extension in extensions)
        {
            extension.ConfigureServices(builder);
        }

        await using var app = builder.Build();
        app.UseMiddleware<ProblemMiddleware>("center.error");
        app.UseStatusCodePages(context => ProblemResults.WriteStatusCodePageAsync(context, "authentication required: a session token (Authorization: Bearer) or HTTP Basic with a Center user"));
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/api/health", () => TypedResults.Ok(new HealthDto(HealthDto.Ok, HealthDto.CenterProduct))).AllowAnonymous().WithTags("Center").WithName("GetHealth");
        app.MapSessionApi();
        app.MapDatacentersApi();
        app.MapFoldersApi();
        app.MapClustersApi();
        app.MapUsersApi();
        app.MapPermissionsApi();
        app.MapHostsApi();
        app.MapVmsApi();
        app.MapLibraryApi();
        app.MapEventsApi();
        app.MapTagsApi();
        app.MapMetricsApi();
        app.MapTasksApi();
        app.MapRolesApi();
        app.MapInventoryPathApi();
        app.MapHyperionOpenApi();
        foreach (var extension in extensions)
        {
            extension.Map(app);
        }

        await app.StartAsync(cancellationToken);
        await console.WriteLineAsync($"certificate fingerprint (SHA-256): {fingerprint}");
        await console.WriteLineAsync($"database: {database.Provider}");
        if (interrupted > 0)
        {
            await console.WriteLineAsync($"{interrupted} task(s) left running by the previous Center process marked failed (task.interrupted)");
        }
        if (generated is not null)
        {
            await console.WriteLineAsync($"{AdministratorAccount.UserName} password (generated, shown once): {generated}");
        }

        // Last, so whoever waits for this line (scripts, the lab, tests) has read everything above.
        await console.WriteLineAsync($"hyperion center listening on https://{endpoint}");

        await console.FlushAsync(cancellationToken);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Normal stop (SIGTERM / Ctrl-C).
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
