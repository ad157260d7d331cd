using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyperion.Center.Hosts;
using Hyperion.Contracts;
using Hyperion.Contracts.Datastores;
using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Tests.Fixtures;

/// <summary>
/// A test double of a host agent's HA endpoints (and <c>GET /api/host</c>, <c>GET /api/vms</c> for the heartbeat),
/// over HTTPS with its own self-signed certificate, so the Center's real <see cref="HostAgentClient"/> calls it.
/// Real HA is tested end to end with real agents and etcd; this checks what the Center sends and how it reacts.
/// </summary>
public sealed class FakeHaHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private FakeHaHost(WebApplication app, X509Certificate2 certificate, int port)
    {
        _app = app;
        _certificate = certificate;
        Port = port;
        Fingerprint = HostFingerprint.Compute(certificate);
    }

    public int Port { get; }

    /// <summary>Normalized SHA-256 of the certificate, as a host record pins it.</summary>
    public string Fingerprint { get; }

    /// <summary>Every HA call received, in order: <c>PUT</c>, <c>DELETE</c>, <c>GET</c>, <c>PUT vm-1</c>.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The last configuration given by <c>PUT /api/host/ha</c>; null after a <c>DELETE</c>.</summary>
    public HostHaConfigRequest? Config { get; private set; }

    /// <summary>When set, <c>PUT /api/host/ha</c> answers 409 with this code (a host started without <c>--etcd</c>: <c>ha.not-configured</c>).</summary>
    public string? RefuseWith { get; set; }

    /// <summary>What <c>GET /api/host/ha</c> answers; null: a state built from <see cref="Config"/>.</summary>
    public HostHaStateDto? State { get; set; }

    /// <summary><c>GET /api/host/ha</c> does not answer (a hung agent).</summary>
    public bool Silent { get; set; }

    public long MemoryMiB { get; set; } = 8192;

    public List<VmDto> Vms { get; } = [];

    public static async Task<FakeHaHost> StartAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-ha-host", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var host = new FakeHaHost(app, certificate, port);
        host.Map(app);
        await app.StartAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapPut("/api/host/ha", async (HttpRequest http) =>
        {
            var config = await http.ReadFromJsonAsync<HostHaConfigRequest>(JsonDefaults.Options);
            Calls.Enqueue("PUT");
            if (RefuseWith is { } code)
            {
                return Results.Json(new ProblemDto { Title = "refused", Status = 409, Code = code, Detail = "HA needs etcd: start the host agent with --etcd" }, JsonDefaults.Options, statusCode: 409);
            }

            Config = config;
            return Results.Json(OwnState(), JsonDefaults.Options);
        });
        app.MapDelete("/api/host/ha", () =>
        {
            Calls.Enqueue("DELETE");
            Config = null;
            return Results.NoContent();
        });
        app.MapGet("/api/host/ha", async (CancellationToken ct) =>
        {
            Calls.Enqueue("GET");
            if (Silent)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }

            return Results.Json(State ?? OwnState(), JsonDefaults.Options);
        });
        app.MapPut("/api/vms/{id}/ha", async (string id, HttpRequest http) =>
        {
            var request = await http.ReadFromJsonAsync<VmHaRequest>(JsonDefaults.Options);
            Calls.Enqueue($"PUT {id}");
            var index = Vms.FindIndex(v => v.Id == id);
            if (index < 0)
            {
                return Results.Json(new ProblemDto { Title = "not found", Status = 404, Code = ErrorCodes.VmNotFound, Detail = $"no VM '{id}'" }, JsonDefaults.Options, statusCode: 404);
            }

            Vms[index] = Vms[index] with
            {
                RestartPriority = request?.RestartPriority ?? Vms[index].RestartPriority,
                VmMonitoring = request?.Monitoring ?? Vms[index].VmMonitoring,
            };
            return Results.Json(Vms[index], JsonDefaults.Options);
        });
        app.MapGet("/api/host", () => Results.Json(Info(), JsonDefaults.Options));
        app.MapGet("/api/vms", () => Results.Json(Vms, JsonDefaults.Options));
    }

    private HostHaStateDto OwnState() => new()
    {
        Enabled = Config is not null,
        State = Config is null ? HaHostStates.Disabled : HaHostStates.Initializing,
        ClusterId = Config?.ClusterId,
        HostId = Config?.HostId,
        IsolationResponse = Config?.IsolationResponse,
        VmMonitoring = Config?.VmMonitoring ?? false,
        HostFailuresTolerated = Config?.HostFailuresTolerated ?? 0,
        HeartbeatDatastores = Config?.HeartbeatDatastores ?? [],
        EtcdEndpoints = ["http://127.0.0.1:2379"],
    };

    private HostInfoDto Info() => new()
    {
        Name = "fake",
        AgentVersion = "test",
        CpuModel = "test",
        CpuFlags = [],
        Cores = 2,
        MemoryMiB = MemoryMiB,
        MemoryAvailableMiB = MemoryMiB,
        Acceleration = new AccelerationDto("tcg", "tcg", "test", null),
        Driver = "simulated",
        QemuVersion = "7.2",
        CertificateFingerprint = Fingerprint,
        Datastores = [new DatastoreDto("shared", "/s", "directory", 100, 50)],
        VmCount = Vms.Count,
        RunningVms = [],
        StartedAt = DateTimeOffset.UnixEpoch,
    };
}
