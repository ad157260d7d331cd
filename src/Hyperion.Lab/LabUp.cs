using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Api;
using Hyperion.Lab.Etcd;
using Hyperion.Lab.Networking;
using Hyperion.Lab.Planning;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;

namespace Hyperion.Lab;

/// <summary>
/// <c>hyperion lab up</c>: on this machine, a bridge, one network namespace per host, a Center on the bridge address
/// and one host agent per namespace (all detached: they outlive the command), every host mounting the lab's
/// <c>shared</c> datastore; then a datacenter and cluster holding the hosts, a running demo VM and <c>lab.env</c>.
/// Any failure removes everything made so far (<see cref="LabDown"/>) and rethrows.
/// </summary>
public sealed class LabUp(LabMachine machine, TextWriter output)
{
    public const string AdminUser = "administrator";
    public const string RootUser = "root";
    public const string DatacenterName = "Datacenter";
    public const string ClusterName = "Cluster";
    public const string DemoVmName = "demo";
    private const int Steps = 6;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Builds the lab; returns its final state (phase running).</summary>
    /// <exception cref="LabException">The options are invalid, the lab cannot start here, or a step failed (after the teardown).</exception>
    public async Task<LabState> RunAsync(LabOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = LabPlan.Create(options);
        await CheckCanStartAsync(plan, options, cancellationToken);
        await output.WriteLineAsync($"lab '{plan.Name}': a Center and {plan.Hosts.Count} host(s) on {plan.Subnet}, in {plan.Directory}");

        Directory.CreateDirectory(plan.Directory, OwnerOnlyDirectory);
        File.SetUnixFileMode(plan.Directory, OwnerOnlyDirectory);
        var state = new LabStateRecorder(new LabState
        {
            Name = plan.Name,
            Directory = plan.Directory,
            Subnet = plan.Subnet.ToString(),
            CreatedAt = machine.Time.GetUtcNow(),
            Center = new LabCenterState(plan.CenterUrl.GetLeftPart(UriPartial.Authority), LabPaths.CenterData(plan.Directory), AdminUser, LabSecrets.NewPassword()),
            Hosts = plan.Hosts.Select(h => new LabHostState(h.Index, h.Namespace, h.Url.GetLeftPart(UriPartial.Authority), h.DataDirectory, LabSecrets.NewPassword())
            {
                EtcdEndpoints = plan.Etcd?.EndpointsFor(h.Index),
            }).ToList(),
            // A token of its own, so members of another lab (or of an earlier one on these addresses) never join this cluster.
            Etcd = plan.Etcd is null ? null : LabEtcdState.From(plan.Etcd, options.EtcdCommand, $"hyperion-lab-{plan.Name}-{RandomNumberGenerator.GetHexString(12, lowercase: true)}"),
        });
        try
        {
            Directory.CreateDirectory(LabPaths.Logs(plan.Directory));
            Directory.CreateDirectory(LabPaths.SharedDatastore(plan.Directory));
            await CreateNetworkAsync(plan, state, cancellationToken);
            await StartServersAsync(plan, options, state, cancellationToken);
            using var centerApi = new LabApiClient(plan.CenterUrl, state.Current.Center!.Fingerprint!, AdminUser, state.Current.Center.AdminPassword, ApiTimeout);
            var center = new LabCenterClient(centerApi, machine.Time);
            var cluster = await AddHostsAsync(state, center, cancellationToken);
            await CreateDemoVmAsync(options, state, center, cluster, cancellationToken);

            var centerState = state.Current.Center!;
            LabEnvFile.Write(LabPaths.EnvFile(plan.Directory), LabEnvFile.Render(plan.Name, plan.CenterUrl, AdminUser, centerState.AdminPassword, centerState.Fingerprint!));
            await StepAsync(6, $"{LabPaths.EnvFile(plan.Directory)} written (mode 0600)");
            var done = state.Update(s => s with { Phase = LabPhase.Running });
            await PrintSummaryAsync(plan, done);
            return done;
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync($"lab up failed: {(ex is OperationCanceledException ? "interrupted" : ex.Message)}");
            await output.WriteLineAsync("removing everything this lab made …");
            await new LabDown(machine, output).RunAsync(plan.Directory, CancellationToken.None);
            throw;
        }
    }

    private async Task CheckCanStartAsync(LabPlan plan, LabOptions options, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new LabException("lab up needs root: it creates a bridge and network namespaces (run it with sudo)");
        }

        var existing = LabStateStore.Load(plan.Directory);
        if (existing is not null)
        {
            var running = existing.Processes.Any(p => new ProcessTarget(p.Pid, p.StartTime, p.Role).IsAlive);
            throw new LabException(running
                ? $"a lab ('{existing.Name}') is already running in {plan.Directory}: see 'hyperion lab status --dir {plan.Directory}', remove it with 'hyperion lab down --dir {plan.Directory}'"
                : $"{plan.Directory} holds a lab ('{existing.Name}', {existing.Phase}) that is not running: remove it with 'hyperion lab down --dir {plan.Directory}' first");
        }

        if (Directory.Exists(plan.Directory) && Directory.EnumerateFileSystemEntries(plan.Directory).Any())
        {
            throw new LabException($"{plan.Directory} exists and is not empty: 'lab down' deletes the lab directory, so give a new or empty --dir");
        }

        if (LabNetwork.LinkExists(plan.Bridge))
        {
            throw new LabException($"the bridge {plan.Bridge} already exists: a lab named '{plan.Name}' seems to run elsewhere (give another --name, or remove it with 'hyperion lab down')");
        }

        var namespaces = await machine.Network.ListNamespacesAsync(cancellationToken);
        var taken = plan.Hosts.Select(h => h.Namespace).Intersect(namespaces, StringComparer.Ordinal).Concat(
            plan.Hosts.Select(h => h.HostVeth).Where(LabNetwork.LinkExists)).ToList();
        if (taken.Count > 0)
        {
            throw new LabException($"{string.Join(", ", taken)} already exist: a lab named '{plan.Name}' seems to run elsewhere (give another --name)");
        }

        if (await machine.Network.FindSubnetConflictAsync(plan.Subnet, cancellationToken) is { } conflict)
        {
            throw new LabException($"--subnet: {conflict}; choose another --subnet");
        }

        if (plan.Etcd is { } etcd)
        {
            if (!File.Exists(options.EtcdCommand))
            {
                throw new LabException($"{options.EtcdCommand} not found: install etcd (tools/install-deps.sh installs Debian's etcd-server), or run the lab without it (--no-etcd)");
            }

            // Host members bind in their fresh namespaces; only the witness shares the root namespace with the machine.
            if (etcd.Witness is { } witness)
            {
                var listeners = ListeningSockets.Read();
                var busy = new[] { witness.ClientPort, witness.PeerPort }.SelectMany(port => ListeningSockets.Conflicts(listeners, witness.Address, port)).ToList();
                if (busy.Count > 0)
                {
                    throw new LabException($"the etcd witness needs {witness.Address}:{witness.ClientPort} and :{witness.PeerPort}, but {string.Join(", ", busy)} already listen(s) (an etcd of this machine on every address?): stop it, or run the lab without etcd (--no-etcd)");
                }
            }
        }
    }

    private async Task CreateNetworkAsync(LabPlan plan, LabStateRecorder state, CancellationToken cancellationToken)
    {
        // Recorded before it is made, so a 'lab down' after a crash right here still removes it.
        state.Update(s => s with { Bridge = plan.Bridge });
        await machine.Network.CreateBridgeAsync(plan.Bridge, plan.BridgeCidr, cancellationToken);
        foreach (var host in plan.Hosts)
        {
            state.Update(s => s with { Namespaces = [.. s.Namespaces, host.Namespace], Links = [.. s.Links, host.HostVeth] });
            await machine.Network.CreateNamespaceAsync(host.Namespace, cancellationToken);
            await machine.Network.ConnectNamespaceAsync(host.Namespace, host.HostVeth, host.PeerVeth, plan.Bridge, plan.HostCidr(host), cancellationToken);
        }

        await StepAsync(1, $"network: bridge {plan.Bridge} {plan.BridgeCidr}; " +
            string.Join(", ", plan.Hosts.Select(h => $"namespace {h.Namespace} {plan.HostCidr(h)}")));
    }

    /// <summary>
    /// Starts the etcd members (all at once: a new cluster forms only when a quorum of the initial members runs), the
    /// Center and every agent, then waits for all of them (the first failure ends the wait).
    /// </summary>
    private async Task StartServersAsync(LabPlan plan, LabOptions options, LabStateRecorder state, CancellationToken cancellationToken)
    {
        var members = new List<(LabEtcdMemberState Member, ProcessTarget Process)>();
        if (state.Current.Etcd is { } etcd)
        {
            Directory.CreateDirectory(LabPaths.Etcd(plan.Directory), OwnerOnlyDirectory);
            foreach (var member in etcd.Members)
            {
                var argv = EtcdCommandLine.Build(etcd, member, newCluster: true);
                var where = member.Namespace is null ? "root namespace" : $"namespace {member.Namespace}";
                members.Add((member, Launch(state, member.Role, $"etcd member {member.Name} ({where})", new ProcessSpec(argv[0], argv.Skip(1).ToList()) { WorkingDirectory = plan.Directory }, member.Log)));
            }
        }

        var center = state.Current.Center!;
        var centerLog = LabPaths.CenterLog(plan.Directory);
        var centerProcess = Launch(
            state,
            "center",
            "the Center",
            new ProcessSpec(options.HyperionCommand[0], [
                .. options.HyperionCommand.Skip(1),
                "center", "serve", "--data", center.DataDirectory, "--listen", plan.CenterListen,
                "--host-monitor-interval", options.HostMonitorInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ])
            {
                WorkingDirectory = plan.Directory,
                Environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HYPERION_ADMIN_PASSWORD"] = center.AdminPassword },
            },
            centerLog);

        var agents = new List<(LabHostPlan Host, ProcessTarget Process)>();
        foreach (var host in plan.Hosts)
        {
            var hostState = state.Current.Hosts.Single(h => h.Index == host.Index);
            List<string> serve = [
                .. options.HyperionCommand,
                "host", "serve", "--data", host.DataDirectory, "--listen", host.Listen, "--accel", options.Accel,
                "--datastore", $"{LabPaths.SharedDatastoreName}={LabPaths.SharedDatastore(plan.Directory)}",
            ];
            if (options.TinyGuestDirectory is not null)
            {
                serve.AddRange(["--tiny-guest", options.TinyGuestDirectory]);
            }

            if (hostState.EtcdEndpoints is { Count: > 0 } endpoints)
            {
                serve.AddRange(["--etcd", string.Join(',', endpoints)]);
            }

            // `ip netns exec` enters the namespace and execs the agent: the PID stays the agent's. The argv is kept
            // for `lab power-on`.
            List<string> agentCommand = ["ip", "netns", "exec", host.Namespace, .. serve];
            state.Update(s => s.WithHost(s.FindHost(host.Index)! with { AgentCommand = agentCommand }));
            var process = Launch(
                state,
                host.Name,
                $"{host.Name} (namespace {host.Namespace})",
                new ProcessSpec(agentCommand[0], agentCommand.Skip(1).ToList())
                {
                    WorkingDirectory = plan.Directory,
                    Environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HYPERION_ROOT_PASSWORD"] = hostState.RootPassword },
                },
                host.LogFile);
            agents.Add((host, process));
        }

        await StepAsync(2, (members.Count == 0 ? string.Empty : "started etcd members " + string.Join(", ", members.Select(m => $"{m.Member.Name} (pid {m.Process.Pid})")) + "; ") +
            $"started the Center (pid {centerProcess.Pid}) and " +
            string.Join(", ", agents.Select(a => $"{a.Host.Name} (pid {a.Process.Pid})")) + "; waiting for them to listen");

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task<string> ReadyAsync(ProcessTarget process, string log, string prefix)
        {
            try
            {
                return await machine.Processes.WaitForReadyAsync(process, log, prefix, options.StartTimeout, failFast.Token);
            }
            catch
            {
                await failFast.CancelAsync();
                throw;
            }
        }

        async Task<TimeSpan> HealthyAsync(LabEtcdMemberState member, ProcessTarget process)
        {
            try
            {
                return await machine.Processes.WaitForEtcdHealthyAsync(process, member.ClientUrl, member.Log, options.EtcdStartTimeout, failFast.Token);
            }
            catch
            {
                await failFast.CancelAsync();
                throw;
            }
        }

        var etcdHealthy = members.Select(m => HealthyAsync(m.Member, m.Process)).ToList();
        var centerReady = ReadyAsync(centerProcess, centerLog, ServerLog.CenterReadyPrefix);
        var agentsReady = agents.Select(a => ReadyAsync(a.Process, a.Host.LogFile, ServerLog.HostReadyPrefix)).ToList();
        List<Task> all = [.. etcdHealthy, centerReady, .. agentsReady];
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            var first = all.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null)
            {
                ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }

        var centerFingerprint = ServerLog.FindFingerprint(await centerReady) ?? throw new LabException($"the Center printed no certificate fingerprint in {centerLog}");
        state.Update(s => s with { Center = s.Center! with { Fingerprint = centerFingerprint } });
        var accelerations = new List<string>();
        for (var i = 0; i < agents.Count; i++)
        {
            var log = await agentsReady[i];
            var host = agents[i].Host;
            var fingerprint = ServerLog.FindFingerprint(log) ?? throw new LabException($"{host.Name} printed no certificate fingerprint in {host.LogFile}");
            state.Update(s => s.WithHost(s.Hosts.Single(h => h.Index == host.Index) with { Fingerprint = fingerprint }));
            accelerations.Add($"{host.Name} {host.Url.GetLeftPart(UriPartial.Authority)} ({ServerLog.FindAcceleration(log) ?? "acceleration unknown"})");
        }

        var etcdLine = members.Count == 0
            ? string.Empty
            : $"; etcd: {members.Count} members healthy after {(await Task.WhenAll(etcdHealthy)).Max().TotalSeconds:F1} s ({state.Current.Etcd!.Endpoints})";
        await StepAsync(3, $"listening: the Center at {plan.CenterUrl.GetLeftPart(UriPartial.Authority)}; {string.Join(", ", accelerations)}{etcdLine}");
    }

    private ProcessTarget Launch(LabStateRecorder state, string role, string description, ProcessSpec spec, string log)
    {
        var pid = machine.Launcher.Start(spec, log);
        var process = LabProcessControl.Describe(pid, description);
        state.Update(s => s.WithProcess(new LabProcessRecord(role, pid, process.StartTime, log)));
        return process;
    }

    /// <summary>Datacenter, cluster, and every host added to it with the fingerprint the lab read from its log.</summary>
    private async Task<ClusterDto> AddHostsAsync(LabStateRecorder state, LabCenterClient center, CancellationToken cancellationToken)
    {
        var datacenter = await center.CreateDatacenterAsync(DatacenterName, cancellationToken);
        var cluster = await center.CreateClusterAsync(ClusterName, datacenter.Id, cancellationToken);
        state.Update(s => s with { Center = s.Center! with { DatacenterId = datacenter.Id, ClusterId = cluster.Id } });
        var added = new List<string>();
        foreach (var host in state.Current.Hosts.OrderBy(h => h.Index))
        {
            var dto = await center.AddHostAsync(new HostAddRequest(host.Url, RootUser, host.RootPassword, host.Fingerprint, cluster.Id, datacenter.Id), cancellationToken);
            state.Update(s => s.WithHost(host with { CenterHostId = dto.Id }));
            added.Add($"{host.Name} as {dto.Id}");
        }

        var ids = state.Current.Hosts.Select(h => h.CenterHostId).ToHashSet(StringComparer.Ordinal);
        await UntilAsync(
            async ct => (await center.ListHostsAsync(ct)).Where(h => ids.Contains(h.Id)).ToList() is var hosts && hosts.Count == ids.Count && hosts.All(h => h.ConnectionState == "connected") ? hosts : null,
            TimeSpan.FromSeconds(60),
            "every host to be connected in the Center",
            cancellationToken);
        await StepAsync(4, $"datacenter '{DatacenterName}' ({datacenter.Id}), cluster '{ClusterName}' ({cluster.Id}); added and connected: {string.Join(", ", added)}");
        return cluster;
    }

    /// <summary>
    /// The demo VM on the shared datastore, through the Center (cluster placement) when it can create VMs, else
    /// directly on host 1 (the Center imports it with the next heartbeat). Either way exactly one host registers and
    /// runs it: agents never register folders they find on a datastore by themselves.
    /// </summary>
    private async Task CreateDemoVmAsync(LabOptions options, LabStateRecorder state, LabCenterClient center, ClusterDto cluster, CancellationToken cancellationToken)
    {
        var spec = new VmCreateRequest
        {
            Name = DemoVmName,
            Cpus = 1,
            MemoryMiB = 128,
            Image = "tiny",
            Datastore = LabPaths.SharedDatastoreName,
            Disks = [new VmDiskRequest("64M")],
            KernelArgs = "hyperion.write=hello-from-hyperion",
        };
        state.Update(s => s with { DemoVm = DemoVmName });
        string how;
        var id = await center.TryCreateVmAsync(new CenterVmCreateRequest { Cluster = cluster.Id, Spec = spec }, cancellationToken);
        if (id is not null)
        {
            await center.PowerOnVmAsync(id, cancellationToken);
            how = "created and powered on through the Center";
        }
        else
        {
            var first = state.Current.Hosts.OrderBy(h => h.Index).First();
            using var api = new LabApiClient(new Uri(first.Url), first.Fingerprint!, RootUser, first.RootPassword, ApiTimeout);
            var host = new LabHostClient(api);
            await host.CreateVmAsync(spec, cancellationToken);
            await host.PowerAsync(DemoVmName, "power-on", cancellationToken);
            how = $"created and powered on directly on {first.Name} (this Center cannot create VMs yet; it imported the VM by heartbeat)";
        }

        var vm = await UntilAsync(
            async ct => (await center.ListVmsAsync(ct)).FirstOrDefault(v => v.Name == DemoVmName && v.PowerState == "poweredOn"),
            options.DemoVmTimeout,
            $"the Center to show VM '{DemoVmName}' powered on",
            cancellationToken);
        var on = state.Current.Hosts.FirstOrDefault(h => h.CenterHostId == vm.HostId)?.Name ?? vm.HostId;
        await StepAsync(5, $"demo VM '{DemoVmName}' ({vm.Id}) on {on}, datastore '{LabPaths.SharedDatastoreName}': {how}");
    }

    private async Task PrintSummaryAsync(LabPlan plan, LabState state)
    {
        var center = state.Center!;
        var env = LabPaths.EnvFile(plan.Directory);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Hyperion lab '{plan.Name}' is running: a Center, {state.Hosts.Count} host(s) in cluster '{ClusterName}', demo VM '{DemoVmName}'.");
        await output.WriteLineAsync($"  Center:       {center.Url}");
        await output.WriteLineAsync($"  web client:   {center.Url.TrimEnd('/')}/ui     (self-signed certificate: check the fingerprint below)");
        await output.WriteLineAsync($"  user:         {center.AdminUser}");
        await output.WriteLineAsync($"  password:     {center.AdminPassword}");
        await output.WriteLineAsync($"  fingerprint:  {center.Fingerprint}");
        await output.WriteLineAsync($"  CLI:          set -a; . {env}; set +a     (HYPERION_SERVER, HYPERION_USER, HYPERION_PASSWORD, HYPERION_FINGERPRINT)");
        if (state.Etcd is { } etcd)
        {
            await output.WriteLineAsync($"  etcd:         {etcd.Endpoints}     ({etcd.Members.Count} members{(etcd.Members.Any(m => m.Namespace is null) ? ", one a witness on the bridge" : string.Empty)}; etcdctl --endpoints {etcd.Endpoints} endpoint status)");
        }

        await output.WriteLineAsync($"  faults:       hyperion lab fault host-N --kind power-off|agent-crash|isolate|partition|heal --dir {plan.Directory}; hyperion lab power-on host-N --dir {plan.Directory}");
        await output.WriteLineAsync($"  status:       hyperion lab status --dir {plan.Directory}");
        await output.WriteLineAsync($"  stop:         hyperion lab down --dir {plan.Directory}");
        await output.WriteLineAsync($"  logs:         {LabPaths.Logs(plan.Directory)}/");
        await output.FlushAsync();
    }

    private async Task StepAsync(int step, string message)
    {
        await output.WriteLineAsync($"[{step}/{Steps}] {message}");
        await output.FlushAsync();
    }

    /// <summary>Polls <paramref name="probe"/> until it returns non-null; the last error is in the timeout's message.</summary>
    private async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T?>> probe, TimeSpan timeout, string what, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = machine.Time.GetUtcNow() + timeout;
        string? lastError = null;
        while (true)
        {
            try
            {
                if (await probe(cancellationToken) is { } value)
                {
                    return value;
                }

                lastError = null;
            }
            catch (LabException ex)
            {
                lastError = ex.Message;
            }

            if (machine.Time.GetUtcNow() > deadline)
            {
                throw new LabException($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}{(lastError is null ? string.Empty : $" (last error: {lastError})")}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), machine.Time, cancellationToken);
        }
    }
}
