using Hyperion.Host;
using Hyperion.Testing;

namespace Hyperion.Bench.Center;

/// <summary>One in-process SIMULATED host agent of a <see cref="SimulatedEstate"/>.</summary>
internal sealed class SimulatedHost(int index, string dataDirectory, int seededVms)
{
    private const int StartAttempts = 5;

    public int Index { get; } = index;

    public string DataDirectory { get; } = dataDirectory;

    public int SeededVms { get; } = seededVms;

    public int Port { get; private set; }

    public string Address => $"https://127.0.0.1:{Port}";

    public string Fingerprint { get; private set; } = string.Empty;

    public Task<int>? Run { get; private set; }

    /// <summary>
    /// Starts the agent on a free loopback port and waits until it answers; a port taken meanwhile by another process
    /// (the agent then stops at once) is retried on another.
    /// </summary>
    public async Task StartAsync(CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var options = new HostAgentOptions
            {
                DataDirectory = DataDirectory,
                Listen = $"127.0.0.1:{Port}",
                Driver = "simulated",
                Accel = "tcg",
                InitialRootPassword = SimulatedEstate.RootPassword,
            };
            var run = Task.Run(() => HostAgent.RunAsync(options, TextWriter.Null, stop), CancellationToken.None);
            Run = run;
            try
            {
                await WaitReadyAsync(run);
                return;
            }
            catch (AgentStoppedException) when (attempt < StartAttempts)
            {
                // Port lost to another process: try another.
            }
        }
    }

    private async Task WaitReadyAsync(Task<int> run)
    {
        var file = Path.Combine(DataDirectory, "certificate.sha256");
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (true)
        {
            if (run.IsCompleted)
            {
                throw new AgentStoppedException($"host agent {Index} on port {Port} stopped: {(run.IsFaulted ? run.Exception!.GetBaseException().Message : $"exit code {run.Result}")}");
            }

            if (File.Exists(file))
            {
                Fingerprint = (await File.ReadAllTextAsync(file)).Trim();
                using var http = HostAgentProcess.CreateHttpClient(new Uri(Address), Fingerprint, null, null);
                http.Timeout = TimeSpan.FromSeconds(5);
                try
                {
                    if ((await http.GetAsync(new Uri("/api/health", UriKind.Relative))).IsSuccessStatusCode && !run.IsCompleted)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"host agent {Index} did not answer /api/health on port {Port} within 5 minutes");
            }

            await Task.Delay(100);
        }
    }

    private sealed class AgentStoppedException(string message) : Exception(message);
}
