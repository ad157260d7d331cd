using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Metrics;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Qemu.Migration;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu;

/// <summary>
/// A running QEMU: controlled through QMP, watched through its QMP socket (closes when QEMU exits) and through
/// /proc every <c>livenessInterval</c> (in case the monitor hangs or was never reachable).
/// </summary>
public sealed partial class QemuVmInstance : IVmInstance, IVmStorageMotion, IVmDiskExport, IVmSnapshots, IVmDiskOverlays
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(2);

    private readonly QmpClient? _qmp;
    private readonly QemuLaunchConfig _launch;
    private readonly IProcessTable _processes;
    private readonly TimeSpan _livenessInterval;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _detach = new();
    private readonly Channel<VmRuntimeEvent> _events = Channel.CreateUnbounded<VmRuntimeEvent>();
    private readonly TaskCompletionSource<string?> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _shutdownReason;
    private TaskCompletionSource _migrationChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _firstResume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private VcpuStop? _lastStop;
    private bool _stopCauseReported;

    /// <summary>Fallback poll while waiting for the incoming stream's end (its MIGRATION event normally wakes the wait first).</summary>
    private static readonly TimeSpan ArrivalPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>Not throttled, as QEMU understands it: its max-bandwidth is a byte rate; 1 TiB/s is beyond any link.</summary>
    private const long Unthrottled = 1L << 40;

    /// <param name="launch">What the VM was started with (its vCPUs, memory and taps are what metrics measure against).</param>
    public QemuVmInstance(int pid, string accelerator, QmpClient? qmp, IProcessTable processes, TimeSpan livenessInterval, TimeProvider time, QemuLaunchConfig launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        Pid = pid;
        _launch = launch;
        Accelerator = accelerator;
        _qmp = qmp;
        _processes = processes;
        _livenessInterval = livenessInterval;
        _time = time;
        _ = Task.Run(WatchAsync, CancellationToken.None);
    }

    public int Pid { get; }

    public string Accelerator { get; }

    public bool HasMonitor => _qmp is not null;

    public ChannelReader<VmRuntimeEvent> Events => _events.Reader;

    public Task<string?> Exited => _exited.Task;

    public Task PauseAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("stop", cancellationToken: cancellationToken);

    public Task ContinueAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("cont", cancellationToken: cancellationToken);

    public Task ResetAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("system_reset", cancellationToken: cancellationToken);

    public Task PressPowerButtonAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("system_powerdown", cancellationToken: cancellationToken);

    public async Task QuitAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (_qmp is null)
        {
            // No monitor to ask: a hard power-off is a kill, as pulling the plug would be.
            Kill();
        }
        else
        {
            try
            {
                await _qmp.ExecuteAsync("quit", timeout: grace, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is QmpDisconnectedException or TimeoutException or IOException or QmpCommandException)
            {
                // QEMU closes the monitor as it quits; anything else is handled by the kill below.
            }
        }

        if (await Task.WhenAny(Exited, Task.Delay(grace, _time, cancellationToken)) != Exited)
        {
            Kill();
        }

        await Exited.WaitAsync(cancellationToken);
    }

    public void Kill() => _processes.Kill(Pid);

    public string? CpuModel => _launch.CpuModel;

    public Task MigrationStatusChanged => Volatile.Read(ref _migrationChanged).Task;

    public async Task StartMigrationAsync(string uri, VmMigrationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Auto-converge is always on: QEMU throttles the vCPUs only when the dirty rate outruns the link, and plain
        // uncapped pre-copy of a rewriting guest was measured here (QEMU 7.2, TCG) to leave stale pages. Never xbzrle.
        await Monitor.ExecuteAsync("migrate-set-capabilities", new
        {
            capabilities = new object[]
            {
                new { capability = "events", state = true },
                new { capability = "auto-converge", state = true },
                new { capability = "postcopy-ram", state = settings.Postcopy },
                new { capability = "pause-before-switchover", state = settings.PauseBeforeSwitchover },
            },
        }, cancellationToken: cancellationToken);
        await UseMigrationTlsAsync(settings.TlsDirectory, "client", settings.TlsHostname, cancellationToken);
        await Monitor.ExecuteAsync("migrate-set-parameters", new Dictionary<string, object>
        {
            ["downtime-limit"] = (long)Math.Max(1, settings.DowntimeLimit.TotalMilliseconds),
            ["max-bandwidth"] = settings.BandwidthBytesPerSecond is > 0 ? settings.BandwidthBytesPerSecond.Value : Unthrottled,
        }, cancellationToken: cancellationToken);
        await Monitor.ExecuteAsync("migrate", new { uri }, cancellationToken: cancellationToken);
    }

    public Task StartDiskMirrorAsync(string jobId, string device, string targetPath, string format, long? bytesPerSecond, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object>
        {
            ["job-id"] = jobId,
            ["device"] = device,
            ["target"] = targetPath,
            ["format"] = format,
            ["mode"] = "existing",
            ["sync"] = "full",
        };
        if (bytesPerSecond is > 0)
        {
            arguments["speed"] = bytesPerSecond.Value;
        }

        return Monitor.ExecuteAsync("drive-mirror", arguments, cancellationToken: cancellationToken);
    }

    private const string NbdTlsId = "hyperion-nbd-tls";
    private static readonly TimeSpan SnapshotJobTimeout = TimeSpan.FromMinutes(10);

    public async Task SaveSnapshotAsync(string tag, IReadOnlyList<string> devices, bool memory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (!memory)
        {
            // Every disk in one transaction: a crash-consistent point across them all.
            var actions = devices.Select(d => new { type = "blockdev-snapshot-internal-sync", data = new { device = d, name = tag } }).ToArray();
            await Monitor.ExecuteAsync("transaction", new { actions }, timeout: SnapshotJobTimeout, cancellationToken: cancellationToken);
            return;
        }

        var nodes = await NodeNamesAsync(devices, cancellationToken);
        await RunSnapshotJobAsync("snapshot-save", tag, nodes, cancellationToken);
    }

    public async Task LoadSnapshotAsync(string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        var nodes = await NodeNamesAsync(devices, cancellationToken);
        await RunSnapshotJobAsync("snapshot-load", tag, nodes, cancellationToken);
    }

    public async Task DeleteSnapshotAsync(string tag, IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        foreach (var device in devices)
        {
            await Monitor.ExecuteAsync("blockdev-snapshot-delete-internal-sync", new { device, name = tag }, timeout: SnapshotJobTimeout, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Runs snapshot-save/-load as the job it is, waits for it to conclude, and throws with QEMU's error if it failed.</summary>
    private async Task RunSnapshotJobAsync(string command, string tag, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var job = $"{command}-{Guid.NewGuid():N}";
        await Monitor.ExecuteAsync(command, new Dictionary<string, object>
        {
            ["job-id"] = job,
            ["tag"] = tag,
            ["vmstate"] = nodes[0],
            ["devices"] = nodes,
        }, timeout: SnapshotJobTimeout, cancellationToken: cancellationToken);
        var started = _time.GetTimestamp();
        while (true)
        {
            var jobs = await Monitor.ExecuteAsync("query-jobs", cancellationToken: cancellationToken);
            var mine = jobs.EnumerateArray().FirstOrDefault(j => j.TryGetProperty("id", out var id) && id.GetString() == job);
            if (mine.ValueKind == JsonValueKind.Undefined || mine.GetProperty("status").GetString() == "concluded")
            {
                var error = mine.ValueKind != JsonValueKind.Undefined && mine.TryGetProperty("error", out var e) ? e.GetString() : null;
                if (mine.ValueKind != JsonValueKind.Undefined)
                {
                    await Monitor.ExecuteAsync("job-dismiss", new { id = job }, cancellationToken: cancellationToken);
                }

                if (error is not null)
                {
                    throw new QmpCommandException(command, "GenericError", error);
                }

                return;
            }

            if (_time.GetElapsedTime(started) > SnapshotJobTimeout)
            {
                throw new TimeoutException($"{command} of '{tag}' did not finish within {SnapshotJobTimeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }
    }

    /// <summary>The block node behind each drive id (QEMU names the nodes of -drive devices itself).</summary>
    private async Task<IReadOnlyList<string>> NodeNamesAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        var blocks = await Monitor.ExecuteAsync("query-block", cancellationToken: cancellationToken);
        var nodes = new List<string>();
        foreach (var device in devices)
        {
            var block = blocks.EnumerateArray().FirstOrDefault(b => b.TryGetProperty("device", out var d) && d.GetString() == device);
            if (block.ValueKind == JsonValueKind.Undefined || !block.TryGetProperty("inserted", out var inserted) || !inserted.TryGetProperty("node-name", out var node))
            {
                throw new InvalidOperationException($"QEMU has no disk '{device}'");
            }

            nodes.Add(node.GetString()!);
        }

        return nodes;
    }

    public async Task StartNbdMirrorAsync(string jobId, string device, string nbdUri, long? bytesPerSecond, string? tlsHostname, CancellationToken cancellationToken)
    {
        if (tlsHostname is null)
        {
            await StartPlainNbdMirrorAsync(jobId, device, nbdUri, bytesPerSecond, cancellationToken);
            return;
        }

        // drive-mirror cannot give an NBD target TLS credentials: the target is a node of its own, then blockdev-mirror.
        var uri = new Uri(nbdUri);
        await Monitor.ExecuteAsync("blockdev-add", new Dictionary<string, object>
        {
            ["driver"] = "nbd",
            ["node-name"] = NbdTargetNode(jobId),
            ["server"] = new { type = "inet", host = uri.Host.Trim('[', ']'), port = uri.Port.ToString(CultureInfo.InvariantCulture) },
            ["export"] = uri.AbsolutePath.TrimStart('/'),
            ["tls-creds"] = NbdTlsId,
            ["tls-hostname"] = tlsHostname,
        }, cancellationToken: cancellationToken);
        var arguments = new Dictionary<string, object>
        {
            ["job-id"] = jobId,
            ["device"] = device,
            ["target"] = NbdTargetNode(jobId),
            ["sync"] = "full",
            ["auto-dismiss"] = false,
        };
        if (bytesPerSecond is > 0)
        {
            arguments["speed"] = bytesPerSecond.Value;
        }

        try
        {
            await Monitor.ExecuteAsync("blockdev-mirror", arguments, cancellationToken: cancellationToken);
        }
        catch (QmpCommandException)
        {
            await ReleaseNbdTargetAsync(jobId, CancellationToken.None);
            throw;
        }
    }

    public async Task UseNbdTlsAsync(string? directory, CancellationToken cancellationToken)
    {
        try
        {
            await Monitor.ExecuteAsync("object-del", new { id = NbdTlsId }, cancellationToken: cancellationToken);
        }
        catch (QmpCommandException)
        {
            // None yet, or still used by a node: a new one is not needed then.
        }

        if (directory is not null)
        {
            await Monitor.ExecuteAsync("object-add", new Dictionary<string, object>
            {
                ["qom-type"] = "tls-creds-x509",
                ["id"] = NbdTlsId,
                ["dir"] = directory,
                ["endpoint"] = "client",
                ["verify-peer"] = true,
            }, cancellationToken: cancellationToken);
        }
    }

    public async Task ReleaseNbdTargetAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await Monitor.ExecuteAsync("blockdev-del", new Dictionary<string, object> { ["node-name"] = NbdTargetNode(jobId) }, cancellationToken: cancellationToken);
        }
        catch (QmpCommandException)
        {
            // Not there (a plain drive-mirror target, or already removed).
        }
    }

    private static string NbdTargetNode(string jobId) => $"{jobId}-target";

    private Task<JsonElement> StartPlainNbdMirrorAsync(string jobId, string device, string nbdUri, long? bytesPerSecond, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object>
        {
            ["job-id"] = jobId,
            ["device"] = device,
            ["target"] = nbdUri,
            ["format"] = "raw",
            ["mode"] = "existing",
            ["sync"] = "full",
            ["auto-dismiss"] = false,
        };
        if (bytesPerSecond is > 0)
        {
            arguments["speed"] = bytesPerSecond.Value;
        }

        return Monitor.ExecuteAsync("drive-mirror", arguments, cancellationToken: cancellationToken);
    }

    public Task DismissJobAsync(string jobId, CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("job-dismiss", new { id = jobId }, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<VmBlockJob>> QueryBlockJobsAsync(CancellationToken cancellationToken)
    {
        var result = await Monitor.ExecuteAsync("query-block-jobs", timeout: SampleTimeout, cancellationToken: cancellationToken);
        var jobs = new List<VmBlockJob>();
        if (result.ValueKind != JsonValueKind.Array)
        {
            return jobs;
        }

        foreach (var job in result.EnumerateArray())
        {
            string? Text(string name) => job.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            long Number(string name) => job.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
            jobs.Add(new VmBlockJob(
                Text("device") ?? string.Empty,
                Text("type") ?? string.Empty,
                Text("status") ?? string.Empty,
                Number("offset"),
                Number("len"),
                job.TryGetProperty("ready", out var ready) && ready.ValueKind == JsonValueKind.True,
                Text("error")));
        }

        return jobs;
    }

    public Task CompleteBlockJobAsync(string jobId, CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("block-job-complete", new { device = jobId }, cancellationToken: cancellationToken);

    public Task CancelBlockJobAsync(string jobId, CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("block-job-cancel", new { device = jobId, force = true }, cancellationToken: cancellationToken);

    /// <summary>
    /// Sets the migration's TLS credentials (QEMU's tls-creds-x509 object loaded from <paramref name="directory"/>, the
    /// peer verified against its CA) or, with no directory, turns TLS off — explicitly, as QEMU keeps the parameter
    /// from one migration to the next.
    /// </summary>
    private const string MigrationTlsId = "hyperion-migration-tls";

    private async Task UseMigrationTlsAsync(string? directory, string endpoint, string? hostname, CancellationToken cancellationToken)
    {
        const string id = MigrationTlsId;
        try
        {
            await Monitor.ExecuteAsync("object-del", new { id }, cancellationToken: cancellationToken);
        }
        catch (QmpCommandException)
        {
            // None yet.
        }

        if (directory is null)
        {
            await Monitor.ExecuteAsync("migrate-set-parameters", new Dictionary<string, object> { ["tls-creds"] = string.Empty, ["tls-hostname"] = string.Empty }, cancellationToken: cancellationToken);
            return;
        }

        await Monitor.ExecuteAsync("object-add", new Dictionary<string, object>
        {
            ["qom-type"] = "tls-creds-x509",
            ["id"] = id,
            ["dir"] = directory,
            ["endpoint"] = endpoint,
            ["verify-peer"] = true,
        }, cancellationToken: cancellationToken);
        var parameters = new Dictionary<string, object> { ["tls-creds"] = id };
        if (hostname is not null)
        {
            parameters["tls-hostname"] = hostname;
        }

        await Monitor.ExecuteAsync("migrate-set-parameters", parameters, cancellationToken: cancellationToken);
    }

    /// <summary>Whether the outgoing migration is set to use TLS (QEMU's own tls-creds parameter, not what was asked).</summary>
    public async Task<bool> MigrationUsesTlsAsync(CancellationToken cancellationToken)
    {
        var parameters = await Monitor.ExecuteAsync("query-migrate-parameters", cancellationToken: cancellationToken);
        return parameters.TryGetProperty("tls-creds", out var creds) && creds.ValueKind == JsonValueKind.String && creds.GetString()!.Length > 0;
    }

    public Task DetachMirrorAsync(string jobId, CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("block-job-cancel", new { device = jobId, force = false }, cancellationToken: cancellationToken);

    public Task ContinueMigrationAsync(CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("migrate-continue", new { state = "pre-switchover" }, cancellationToken: cancellationToken);

    public async Task StartDiskExportAsync(string address, int port, IReadOnlyList<string> devices, bool tls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var server = new Dictionary<string, object>
        {
            ["addr"] = new { type = "inet", data = new { host = address, port = port.ToString(CultureInfo.InvariantCulture) } },
        };
        if (tls)
        {
            // The incoming migration's server credentials (verify-peer: only a client with a certificate of the same CA).
            server["tls-creds"] = MigrationTlsId;
        }

        await Monitor.ExecuteAsync("nbd-server-start", server, cancellationToken: cancellationToken);
        foreach (var device in devices)
        {
            // The export activates the incoming QEMU's still-inactive image so it can be written before the guest runs.
            await Monitor.ExecuteAsync("nbd-server-add", new { device, writable = true }, cancellationToken: cancellationToken);
        }
    }

    public Task StopDiskExportAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("nbd-server-stop", cancellationToken: cancellationToken);

    public Task ChangeSerialLogAsync(string socketPath, string logPath, CancellationToken cancellationToken) =>
        Monitor.ExecuteAsync("chardev-change", new
        {
            id = "serial0",
            backend = new
            {
                type = "socket",
                data = new
                {
                    addr = new { type = "unix", data = new { path = socketPath } },
                    server = true,
                    wait = false,
                    logfile = logPath,
                    logappend = true,
                },
            },
        }, cancellationToken: cancellationToken);

    public async Task<VmMigrationProgress> QueryMigrationAsync(CancellationToken cancellationToken) =>
        MigrationInfoParser.Parse(await Monitor.ExecuteAsync("query-migrate", timeout: SampleTimeout, cancellationToken: cancellationToken));

    public Task CancelMigrationAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("migrate_cancel", cancellationToken: cancellationToken);

    public VcpuStop? LastStop => Volatile.Read(ref _lastStop);

    public async Task WaitForStreamEndAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await StateAfterStreamAsync(timeout, cancellationToken);

    public async Task<DateTimeOffset?> RunArrivedGuestAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Never `cont` while the stream still loads: QEMU's `cont` activates the disks at once (only the start waits for
        // the stream), and the source may still own them then — writing qcow2 metadata this side would not see. So wait
        // for the stream's end (this QEMU's MIGRATION event, or a poll), then `cont` at once.
        switch (await StateAfterStreamAsync(timeout, cancellationToken))
        {
            case "running":
                return await ResumeStampAsync(cancellationToken);
            case "paused":
                await Monitor.ExecuteAsync("cont", cancellationToken: cancellationToken);
                return await ResumeStampAsync(cancellationToken);
            case var state:
                // Loaded but not runnable as a live arrival (the source was not running: shut down, I/O error…).
                throw new InvalidOperationException($"the arrived guest is '{state}', not ready to run");
        }
    }

    /// <summary>The run state once it is no longer <c>inmigrate</c> (woken by this QEMU's MIGRATION events, else a poll).</summary>
    private async Task<string?> StateAfterStreamAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            var changed = MigrationStatusChanged;
            string? state;
            try
            {
                state = await RunStateAsync(cancellationToken);
            }
            catch (TimeoutException)
            {
                state = "inmigrate"; // Busy loading the stream: not over.
            }

            if (state != "inmigrate")
            {
                return state;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"the incoming stream did not complete within {timeout.TotalSeconds:F0} s");
            }

            if (await Task.WhenAny(changed, Exited, Task.Delay(ArrivalPoll, _time, cancellationToken)) == Exited)
            {
                throw new QmpDisconnectedException("the destination QEMU exited before the guest ran (the stream did not complete)");
            }
        }
    }

    private async Task<string?> RunStateAsync(CancellationToken cancellationToken)
    {
        var status = await Monitor.ExecuteAsync("query-status", timeout: SampleTimeout, cancellationToken: cancellationToken);
        return status.TryGetProperty("status", out var s) ? s.GetString() : null;
    }

    /// <summary>QEMU's stamp of the guest's first RESUME (sent before `cont` answers; a moment to read it), else now.</summary>
    private async Task<DateTimeOffset> ResumeStampAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAny(_firstResume.Task, Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken));
        return _firstResume.Task.IsCompleted ? await _firstResume.Task : _time.GetUtcNow();
    }

    public Task StartPostcopyAsync(CancellationToken cancellationToken) => Monitor.ExecuteAsync("migrate-start-postcopy", cancellationToken: cancellationToken);

    /// <summary>Destination side: turns on what an incoming migration needs and listens on an ephemeral port of <paramref name="listenAddress"/>.</summary>
    internal async Task<int> ListenForMigrationAsync(string listenAddress, VmIncomingSettings settings, CancellationToken cancellationToken)
    {
        var postcopy = settings.Postcopy;
        await UseMigrationTlsAsync(settings.TlsDirectory, "server", null, cancellationToken);
        // late-block-activate: the disks stay inactive (unlocked) until `cont`, so the source can take the VM back.
        await Monitor.ExecuteAsync("migrate-set-capabilities", new
        {
            capabilities = new object[]
            {
                new { capability = "events", state = true },
                new { capability = "late-block-activate", state = true },
                new { capability = "postcopy-ram", state = postcopy },
            },
        }, cancellationToken: cancellationToken);
        var host = listenAddress.Contains(':', StringComparison.Ordinal) ? $"[{listenAddress}]" : listenAddress;
        await Monitor.ExecuteAsync("migrate-incoming", new { uri = $"tcp:{host}:0" }, cancellationToken: cancellationToken);
        var info = await Monitor.ExecuteAsync("query-migrate", cancellationToken: cancellationToken);
        return MigrationInfoParser.ListeningPort(info) ?? throw new QemuStartException("QEMU did not report the port its incoming migration listens on");
    }

    public async Task<VmResourceSample> SampleAsync(CancellationToken cancellationToken)
    {
        var cpu = ProcessResourceReader.ReadCpuTime(Pid);
        var resident = ProcessResourceReader.ReadResidentBytes(Pid);
        (ulong Read, ulong Write)? disk = null;
        if (_qmp is { IsConnected: true })
        {
            try
            {
                disk = BlockStatsParser.Sum(await _qmp.ExecuteAsync("query-blockstats", timeout: SampleTimeout, cancellationToken: cancellationToken));
            }
            catch (Exception ex) when (ex is QmpDisconnectedException or TimeoutException or QmpCommandException)
            {
                // Exiting or busy: this reading has no disk counters.
            }
        }

        // A tap's receive side is what the guest sent, its transmit side what the guest got.
        ulong? received = null;
        ulong? transmitted = null;
        foreach (var tap in _launch.Nics.Select(n => n.Tap).OfType<string>())
        {
            if (ProcessResourceReader.ReadInterface(tap) is { } counters)
            {
                received = (received ?? 0) + counters.TransmittedBytes;
                transmitted = (transmitted ?? 0) + counters.ReceivedBytes;
            }
        }

        return new VmResourceSample
        {
            CpuTime = cpu,
            Vcpus = _launch.Cpus,
            MemoryConsumedBytes = resident,
            MemoryConfiguredBytes = _launch.MemoryMiB * 1024 * 1024,
            DiskReadBytes = disk?.Read,
            DiskWriteBytes = disk?.Write,
            NetReceivedBytes = received,
            NetTransmittedBytes = transmitted,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _detach.CancelAsync();
        if (_qmp is not null)
        {
            await _qmp.DisposeAsync();
        }

        _detach.Dispose();
    }

    private QmpClient Monitor => _qmp ?? throw new InvalidOperationException("the VM's QEMU monitor does not answer");

    private async Task WatchAsync()
    {
        var cancellationToken = _detach.Token;
        var monitorClosed = _qmp?.Completion ?? Task.Delay(Timeout.Infinite, cancellationToken);
        var pump = _qmp is null ? Task.CompletedTask : Task.Run(() => PumpEventsAsync(_qmp, cancellationToken), CancellationToken.None);
        try
        {
            while (_processes.IsAlive(Pid))
            {
                if (_qmp is not null && monitorClosed.IsCompleted)
                {
                    // The monitor closed: QEMU is exiting. Give it a moment to leave the process table.
                    for (var i = 0; i < 20 && _processes.IsAlive(Pid); i++)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
                    }

                    if (_processes.IsAlive(Pid))
                    {
                        // Alive without a monitor: keep watching the process alone.
                        monitorClosed = Task.Delay(Timeout.Infinite, cancellationToken);
                        continue;
                    }

                    break;
                }

                await Task.WhenAny(monitorClosed, Task.Delay(_livenessInterval, _time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }

            try
            {
                // Events sent just before the socket closed (SHUTDOWN) are still in flight.
                await pump.WaitAsync(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }

            _events.Writer.TryComplete();
            _migrationChanged.TrySetResult();
            _exited.TrySetResult(_shutdownReason);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Detached: the agent is stopping and leaves the VM running.
            _events.Writer.TryComplete();
        }
    }

    private async Task PumpEventsAsync(QmpClient qmp, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in qmp.Events.ReadAllAsync(cancellationToken))
            {
                switch (e.Name)
                {
                    case "SHUTDOWN":
                        _shutdownReason = e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("reason", out var r) ? r.GetString() : "unknown";
                        _stopCauseReported = true;
                        break;
                    case "BLOCK_IO_ERROR":
                    case "GUEST_PANICKED":
                    case "WATCHDOG":
                    case "SUSPEND":
                        // A stop that follows one of these has its own cause (not a migration's final pass).
                        _stopCauseReported = true;
                        break;
                    case "STOP":
                        Volatile.Write(ref _lastStop, new VcpuStop(e.Timestamp, Plain: !_stopCauseReported));
                        _events.Writer.TryWrite(VmRuntimeEvent.Paused);
                        Interlocked.Exchange(ref _migrationChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                        break;
                    case "RESUME":
                        _stopCauseReported = false;
                        _firstResume.TrySetResult(e.Timestamp);
                        _events.Writer.TryWrite(VmRuntimeEvent.Resumed);
                        break;
                    case "MIGRATION":
                        Interlocked.Exchange(ref _migrationChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
