using System.Globalization;
using Hyperion.Domain.Vms;
using Hyperion.Host.Vms;
using Hyperion.Testing;

namespace Hyperion.Bench.Center;

/// <summary>
/// N host agents with the SIMULATED driver, all in this process (the same agent code as <c>hyperion host serve
/// --driver simulated</c>: API, inventory, supervision; only the driver under the seam is in-memory), each on its own
/// loopback port with its own data directory. VMs are seeded before the agents start, as folders with a
/// <c>vm.json</c> registered in <c>inventory.json</c> (the agent's own formats, written with its own classes), so
/// 10,000 VMs cost seconds instead of 10,000 authenticated create calls.
/// </summary>
internal sealed class SimulatedEstate : IAsyncDisposable
{
    public const string RootPassword = "bench-root-password";

    private readonly TestDirectory _root = new("hybc");
    private readonly CancellationTokenSource _stop = new();

    private SimulatedEstate()
    {
    }

    public IReadOnlyList<SimulatedHost> Hosts { get; private set; } = [];

    public static async Task<SimulatedEstate> StartAsync(int hosts, int vms, TextWriter log)
    {
        // One process, N web hosts: keep their request logs out of the benchmark's table.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var estate = new SimulatedEstate();
        try
        {
            var list = new List<SimulatedHost>();
            for (var h = 0; h < hosts; h++)
            {
                var data = estate._root.Combine(h.ToString("D3", CultureInfo.InvariantCulture));
                Directory.CreateDirectory(data);
                var count = vms / hosts + (h < vms % hosts ? 1 : 0);
                SeedVms(data, h, count);
                list.Add(new SimulatedHost(h, data, count));
            }

            estate.Hosts = list;
            await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (host, _) => await host.StartAsync(estate._stop.Token));
            await log.WriteLineAsync($"{hosts} SIMULATED host agents listening (in process), {vms} VMs seeded");
            return estate;
        }
        catch
        {
            await estate.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var run in Hosts.Select(h => h.Run).OfType<Task<int>>())
        {
            try
            {
                await run;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // Stopped, or never started (its port was taken).
            }
        }

        _stop.Dispose();
        _root.Dispose();
    }

    private static void SeedVms(string data, int host, int count)
    {
        var inventory = new VmInventory(data);
        var datastore = Path.Combine(data, "datastores", "local");
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"sim-{host:D3}-{i:D4}");
            var folder = Path.Combine(datastore, name);
            Directory.CreateDirectory(folder);
            VmFolder.Save(folder, new VmSpec { Name = name, Uuid = Guid.NewGuid(), Cpus = 1, MemoryMiB = 128, Boot = new BootSpec(BootKind.Disk) });
            inventory.Add("local", name);
        }
    }
}
