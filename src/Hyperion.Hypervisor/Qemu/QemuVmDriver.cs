using System.Globalization;
using System.Text.Json;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu;

/// <summary>Runs VMs as detached QEMU processes (see ADR 0002) and finds them again after an agent restart.</summary>
public sealed class QemuVmDriver(QemuLauncher launcher, IProcessTable processes, TimeSpan livenessInterval, TimeProvider time) : IVmDriver
{
    private static readonly TimeSpan QmpConnectTimeout = TimeSpan.FromSeconds(10);

    public string Name => "qemu";

    public async Task<IVmInstance> StartAsync(QemuLaunchConfig launch, string logPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var pid = await launcher.StartAsync(launch, logPath, cancellationToken);
        QmpClient qmp;
        try
        {
            qmp = await QmpClient.ConnectAsync(launch.Paths.QmpSocket, QmpConnectTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException or QmpDisconnectedException)
        {
            // A QEMU we cannot control must not keep running unseen.
            processes.Kill(pid);
            throw new QemuStartException($"QEMU started but its QMP monitor did not answer: {ex.Message}", ex);
        }

        return new QemuVmInstance(pid, launch.Accelerator, qmp, processes, livenessInterval, time, launch);
    }

    public async Task<(IVmInstance Instance, int Port)> StartIncomingAsync(QemuLaunchConfig launch, string logPath, string listenAddress, VmIncomingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var instance = (QemuVmInstance)await StartAsync(launch with { Incoming = true }, logPath, cancellationToken);
        try
        {
            return (instance, await instance.ListenForMigrationAsync(listenAddress, settings, cancellationToken));
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or QemuStartException or OperationCanceledException)
        {
            instance.Kill();
            await instance.DisposeAsync();
            throw ex is QemuStartException or OperationCanceledException ? ex : new QemuStartException($"the destination QEMU could not listen for the migration: {ex.Message}", ex);
        }
    }

    public async Task<VmAttachResult> AttachAsync(QemuLaunchConfig launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (!File.Exists(launch.Paths.PidFile))
        {
            return VmAttachResult.NotRunning;
        }

        var text = await File.ReadAllTextAsync(launch.Paths.PidFile, cancellationToken);

        // Only a live process whose argv carries this VM's UUID is ours: a recycled pid is never adopted.
        if (!int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var pid) || !processes.IsAlive(pid)
            || processes.ReadCommandLine(pid) is not { } argv || !argv.Contains(launch.Uuid.ToString("D")))
        {
            return VmAttachResult.NotRunning;
        }

        var accelIndex = argv.ToList().IndexOf("-accel");
        var accelerator = accelIndex >= 0 && accelIndex + 1 < argv.Count ? argv[accelIndex + 1].Split(',')[0] : launch.Accelerator;

        // The CPU model it was started with (a cluster baseline may have changed since): what it can migrate with.
        var cpuIndex = argv.ToList().IndexOf("-cpu");
        launch = launch with { CpuModel = cpuIndex >= 0 && cpuIndex + 1 < argv.Count ? argv[cpuIndex + 1].Split(',')[0] : launch.CpuModel };
        try
        {
            var qmp = await QmpClient.ConnectAsync(launch.Paths.QmpSocket, QmpConnectTimeout, cancellationToken);
            var status = await qmp.ExecuteAsync("query-status", cancellationToken: cancellationToken);
            var running = status.TryGetProperty("running", out var r) && r.ValueKind == JsonValueKind.True;
            return new VmAttachResult(new QemuVmInstance(pid, accelerator, qmp, processes, livenessInterval, time, launch), !running, null);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException or QmpDisconnectedException or QmpCommandException)
        {
            // Alive but unreachable: watched by its process alone, never killed blindly.
            return new VmAttachResult(new QemuVmInstance(pid, accelerator, null, processes, livenessInterval, time, launch), false, ex.Message);
        }
    }
}
