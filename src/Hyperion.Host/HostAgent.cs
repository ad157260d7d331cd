using System.Net;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;
using Hyperion.Host.Acceleration;
using Hyperion.Host.Api;
using Hyperion.Host.Datastores;
using Hyperion.Host.Events;
using Hyperion.Host.Images;
using Hyperion.Host.Metrics;
using Hyperion.Host.Security;
using Hyperion.Host.Vms;
using Hyperion.Hypervisor.Hosts;
using Hyperion.Hypervisor.Networking;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Simulated;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Hyperion.Server.Problems;
using Hyperion.Server.Hosting;
using Hyperion.Server.Security;

namespace Hyperion.Host;

/// <summary>The host agent process: HTTPS API over the VMs of this machine.</summary>
public static class HostAgent
{
    /// <summary>Runs the agent until <paramref name="cancellationToken"/> fires. VMs keep running after it returns.</summary>
    public static async Task<int> RunAsync(HostAgentOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        if (!IPEndPoint.TryParse(options.Listen, out var endpoint) || endpoint.Port == 0)
        {
            await console.WriteLineAsync($"error: --listen '{options.Listen}' is not ADDRESS:PORT (for example 127.0.0.1:8443)");
            return 2;
        }

        if (options.Driver is not ("qemu" or "simulated"))
        {
            await console.WriteLineAsync($"error: --driver '{options.Driver}' is not one of qemu, simulated");
            return 2;
        }

        if (!Hypervisor.Qemu.Acceleration.AccelerationPolicy.Choices.Contains(options.Accel))
        {
            await console.WriteLineAsync($"error: --accel '{options.Accel}' is not one of auto, kvm, tcg");
            return 2;
        }

        if (options.MetricsInterval <= TimeSpan.Zero || options.MetricsRetention < options.MetricsInterval)
        {
            await console.WriteLineAsync("error: --metrics-interval must be positive and shorter than the metrics retention (1 hour)");
            return 2;
        }

        if (options.EtcdEndpoints.Count > 0)
        {
            try
            {
                options.Ha.Validate();
                foreach (var url in options.EtcdEndpoints)
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
                    {
                        throw new ArgumentException($"--etcd '{url}' is not an http://ADDRESS:PORT URL");
                    }
                }
            }
            catch (ArgumentException ex)
            {
                await console.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
        }

        var data = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = data };
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(Path.Combine(data, "run"));
        var time = TimeProvider.System;

        var credentials = RootCredentials.LoadOrCreate(data, options.InitialRootPassword, out var generated);
        using var certificate = SelfSignedCertificate.LoadOrCreate(data, "host.pfx", "Hyperion host", [endpoint.Address], time);
        var fingerprint = SelfSignedCertificate.Fingerprint(certificate);
        var runner = new SystemProcessRunner();
        var hardware = await new HostHardwareProbe(runner, options.QemuBinary).ProbeAsync(cancellationToken);
        if (options.MemoryMiB is { } memory)
        {
            if (memory < 64 || memory > hardware.MemoryMiB)
            {
                await console.WriteLineAsync($"error: --memory-mib {memory} is not between 64 and the machine's {hardware.MemoryMiB} MiB");
                return 2;
            }

            hardware = hardware with { MemoryMiB = memory };
        }

        var images = new ImageCatalog(options);
        var acceleration = options.Driver == "simulated"
            ? new Hypervisor.Qemu.Acceleration.AccelerationDecision("simulated", options.Accel, "SIMULATED driver: VMs are in-memory stand-ins for scale tests, no guest runs", null)
            : await AccelerationSelector.SelectAsync(options, hardware, images, time, cancellationToken);

        IReadOnlyList<string> cpuModels = options.Driver == "simulated" ? [] : await new Hypervisor.Qemu.Acceleration.CpuModelProbe(options.QemuBinary).UsableModelsAsync(acceleration.Mode, cancellationToken);
        var builder = HttpsServerBuilder.Create(endpoint, certificate, acceptClientCertificates: true);

        builder.Services
            .AddSingleton(options)
            .AddSingleton(time)
            .AddSingleton(credentials)
            .AddSingleton(new CenterTrust(data, time))
            .AddSingleton(hardware)
            .AddSingleton(images)
            .AddSingleton(new AccelerationState(acceleration, cpuModels, data))
            .AddSingleton(new HostIdentity(fingerprint, time.GetUtcNow()))
            .AddSingleton<IProcessRunner>(runner)
            .AddSingleton<IProcessTable, LinuxProcessTable>()
            .AddSingleton(sp => new HostEventLog(data, time))
            .AddSingleton(sp => new DatastoreCatalog(options))
            .AddSingleton(sp => new VmInventory(data))
            .AddSingleton<IVmDriver>(sp => options.Driver == "simulated"
                ? new SimulatedVmDriver(time)
                : new QemuVmDriver(new QemuLauncher(runner, options.QemuBinary, time), sp.GetRequiredService<IProcessTable>(), options.LivenessInterval, time))
            .AddSingleton(sp => new QemuImg(runner, options.QemuImgBinary))
            .AddSingleton(sp => new Hypervisor.CloudInit.NoCloudSeedWriter(runner))
            .AddSingleton(sp => new TapDevices(runner, TapDevices.AgentTagFor(data)))
            .AddSingleton<HostCapacityProvider>()
            .AddSingleton<VmSupervisor>()
            .AddSingleton<VmService>()
            .AddSingleton<Hypervisor.Qemu.GuestAgent.IGuestAgentClient>(new Hypervisor.Qemu.GuestAgent.GuestAgentClient(new Hypervisor.Qemu.GuestAgent.GuestAgentClientOptions { TimeProvider = time }))
            .AddHostedService<GuestAgentPoller>()
            .AddSingleton(sp => new Ha.HaRuntime(options, time))
            .AddSingleton<Ha.IHaVms>(sp => sp.GetRequiredService<VmService>())
            .AddSingleton(sp => new Ha.HeartbeatProcess(data, sp.GetRequiredService<IProcessTable>()))
            .AddSingleton<Ha.IIsolationProbe>(new Ha.TcpIsolationProbe(options.EtcdEndpoints))
            .AddSingleton<Ha.HaAgent>()
            .AddHostedService(sp => sp.GetRequiredService<Ha.HaAgent>())
            .AddSingleton<Library.ContentLibrary>()
            .AddSingleton<HostInfoSource>()
            .AddHostMetrics(options);
        builder.Services.AddHyperionOpenApi(
            "Hyperion host agent API",
            "The REST API of a Hyperion host (the ESXi role). HTTPS with HTTP Basic (the host's root account); errors are RFC 9457 problem details with a stable `code`.",
            new Dictionary<string, Microsoft.OpenApi.OpenApiSecurityScheme>
            {
                ["basic"] = new() { Type = Microsoft.OpenApi.SecuritySchemeType.Http, Scheme = "basic", Description = "the host's root account" },
            });
        builder.Services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        await using var app = builder.Build();
        app.UseMiddleware<ProblemMiddleware>("hypervisor.error");
        app.UseStatusCodePages(context => ProblemResults.WriteStatusCodePageAsync(context, "authentication required: HTTP Basic with the host's root credentials"));
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHostApi();
        app.MapVmsApi();
        app.MapLibraryApi();
        app.MapMigrationsApi();
        app.MapEventsApi();
        app.MapConsoleApi();
        app.MapMetricsApi();
        app.MapHaApi();
        app.MapHyperionOpenApi();

        var vms = app.Services.GetRequiredService<VmService>();
        await vms.LoadAsync(cancellationToken);
        var events = app.Services.GetRequiredService<HostEventLog>();
        events.Publish(EventTypes.HostStarted, $"host agent started; acceleration {acceleration.Mode} ({acceleration.Reason})");

        await app.StartAsync(cancellationToken);
        await console.WriteLineAsync($"hyperion host agent listening on https://{endpoint}");
        await console.WriteLineAsync($"certificate fingerprint (SHA-256): {fingerprint}");
        await console.WriteLineAsync($"acceleration: {acceleration.Mode} — {acceleration.Reason}");
        if (options.Driver == "simulated")
        {
            await console.WriteLineAsync("driver: SIMULATED — no real VMs run on this host (scale tests only)");
        }

        if (generated is not null)
        {
            await console.WriteLineAsync($"root password (generated, shown once): {generated}");
        }

        await console.FlushAsync(cancellationToken);
        // Stop on the caller's token or on SIGTERM/SIGINT (the web host's lifetime turns those into ApplicationStopping).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Normal stop (SIGTERM / Ctrl-C): VMs keep running; the next agent re-adopts them.
        }

        await vms.DisposeAsync();
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
