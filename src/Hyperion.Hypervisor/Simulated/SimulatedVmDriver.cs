using System.Collections.Concurrent;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Launch;

namespace Hyperion.Hypervisor.Simulated;

/// <summary>
/// SIMULATED hypervisor: VMs exist only in this process's memory, start instantly and run no guest. For scale tests
/// and rehearsals (thousands of VMs on one machine) with the real agent code above the driver; never for real work.
/// </summary>
public sealed class SimulatedVmDriver(TimeProvider time) : IVmDriver
{
    private readonly ConcurrentDictionary<Guid, SimulatedVmInstance> _running = new();
    private int _nextPid = 4_000_000;

    public string Name => "simulated";

    public async Task<IVmInstance> StartAsync(QemuLaunchConfig launch, string logPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Kernel is { } kernel && !File.Exists(kernel))
        {
            throw new QemuStartException($"simulated start failed: kernel '{kernel}' does not exist");
        }

        await File.AppendAllTextAsync(logPath, $"{time.GetUtcNow():O} simulated start of {launch.Name}\n", cancellationToken);
        await File.AppendAllTextAsync(launch.Paths.SerialLog, "hyperion-simulated boot\n", cancellationToken);
        var instance = new SimulatedVmInstance(Interlocked.Increment(ref _nextPid), () => _running.TryRemove(launch.Uuid, out _), launch.Cpus, launch.MemoryMiB, time);
        _running[launch.Uuid] = instance;
        return instance;
    }

    public async Task<(IVmInstance Instance, int Port)> StartIncomingAsync(QemuLaunchConfig launch, string logPath, string listenAddress, VmIncomingSettings settings, CancellationToken cancellationToken)
    {
        var instance = (SimulatedVmInstance)await StartAsync(launch, logPath, cancellationToken);
        await instance.PauseAsync(cancellationToken);
        return (instance, 0);
    }

    public Task<VmAttachResult> AttachAsync(QemuLaunchConfig launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return Task.FromResult(_running.TryGetValue(launch.Uuid, out var instance)
            ? new VmAttachResult(instance, instance.IsPaused, null)
            : VmAttachResult.NotRunning);
    }
}
