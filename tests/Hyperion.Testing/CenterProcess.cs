using System.Net.Http.Headers;

namespace Hyperion.Testing;

/// <summary>
/// A real Center (<c>hyperion center serve</c>, SQLite) in its own process, on a free loopback port, with a throw-away
/// data directory. Dispose kills it by PID and removes the data.
/// </summary>
public sealed class CenterProcess : IAsyncDisposable
{
    public const string AdminUser = "administrator";
    public const string AdminPassword = "test-admin-password";
    private readonly string[] _extraArgs;
    private HyperionProcess? _process;

    private CenterProcess(TestDirectory data, int port, string[] extraArgs)
    {
        Data = data;
        Port = port;
        _extraArgs = extraArgs;
    }

    public TestDirectory Data { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");

    public string Fingerprint { get; private set; } = string.Empty;

    public int Pid => _process?.Pid ?? 0;

    public string Output => _process?.Output ?? string.Empty;

    /// <param name="extraArgs">More <c>center serve</c> options, e.g. <c>--host-monitor-interval 1</c>.</param>
    public static async Task<CenterProcess> StartAsync(params string[] extraArgs)
    {
        var center = new CenterProcess(new TestDirectory("hyc"), FreePort.Next(), extraArgs);
        try
        {
            await center.StartProcessAsync();
        }
        catch
        {
            await center.DisposeAsync();
            throw;
        }

        return center;
    }

    /// <summary>An API client trusting this Center's certificate, with Basic credentials when <paramref name="user"/> is given.</summary>
    public HostApi Client(string? user = null, string? password = null) =>
        new(HostAgentProcess.CreateHttpClient(BaseAddress, Fingerprint, user, password));

    /// <summary>An API client sending <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HostApi BearerClient(string token)
    {
        var http = HostAgentProcess.CreateHttpClient(BaseAddress, Fingerprint, null, null);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new HostApi(http);
    }

    /// <summary>SIGKILL the Center: no orderly shutdown, as a crash or <c>kill -9</c>.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>Starts the Center again on the same data directory and port.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Data.Dispose();
    }

    private async Task StartProcessAsync()
    {
        _process?.Dispose();
        _process = await HyperionProcess.StartAsync(
            ["center", "serve", "--data", Data.Path, "--listen", $"127.0.0.1:{Port}", "--admin-password", AdminPassword, .. _extraArgs],
            "hyperion center listening on",
            TimeSpan.FromSeconds(60));
        Fingerprint = File.ReadAllText(Path.Combine(Data.Path, "certificate.sha256")).Trim();
    }
}
