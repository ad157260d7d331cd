using Hyperion.Testing;

namespace Hyperion.Bench.Center;

/// <summary>One in-process SIMULATED host agent of a <see cref="SimulatedEstate"/>.</summary>
internal sealed record SimulatedHost(int Index, int Port, string DataDirectory, int SeededVms)
{
    public string Address => $"https://127.0.0.1:{Port}";

    public string Fingerprint { get; private set; } = string.Empty;

    public async Task WaitReadyAsync(Task<int> run)
    {
        var file = Path.Combine(DataDirectory, "certificate.sha256");
        Fingerprint = await Eventually.GetAsync(
            async () =>
            {
                if (run.IsCompleted)
                {
                    throw new InvalidOperationException($"host agent {Index} stopped with exit code {await run}");
                }

                return File.Exists(file) ? (await File.ReadAllTextAsync(file)).Trim() : string.Empty;
            },
            f => f.Length > 0,
            TimeSpan.FromMinutes(5),
            $"host agent {Index} to write its certificate fingerprint");
        using var http = HostAgentProcess.CreateHttpClient(new Uri(Address), Fingerprint, null, null);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await http.GetAsync(new Uri("/api/health", UriKind.Relative))).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromMinutes(5),
            $"host agent {Index} to answer /api/health");
    }
}
