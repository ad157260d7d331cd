using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Api;
using Hyperion.Lab.Etcd;
using Hyperion.Lab.Faults;
using Hyperion.Lab.Planning;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;

namespace Hyperion.Lab;

/// <summary>
/// <c>hyperion lab power-on HOST</c>: brings back a host a <c>power-off</c> or <c>agent-crash</c> fault (or anything
/// else) left without its processes: its etcd member (same data directory, <c>--initial-cluster-state existing</c>: it
/// rejoins under its old identity) and its agent (the argv <c>lab up</c> recorded; the agent re-adopts what survived),
/// whichever is not running; waits until both are ready and the Center sees the host connected.
/// </summary>
public sealed class LabPowerOn(LabMachine machine, TextWriter output)
{
    /// <summary>How long the agent may take to listen, and the etcd member to be healthy. Default 120 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the Center may take to see the host connected again. Default 60 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <exception cref="LabException">No lab, unknown host, the host runs already, or a process did not become ready.</exception>
    public async Task RunAsync(string directory, string host, CancellationToken cancellationToken)
    {
        var state = LabStateStore.Load(directory) ?? throw new LabException($"no lab in {directory} (start one with 'hyperion lab up')");
        var target = LabHostSelector.Find(state, host);
        var member = state.Etcd?.ForHost(target.Index);
        var memberDown = member is not null && !IsAlive(state, member.Role);
        var agentDown = !IsAlive(state, target.Name);
        if (!memberDown && !agentDown)
        {
            throw new LabException($"{target.Name} is running (its agent{(member is null ? string.Empty : " and etcd member")} live): nothing to power on");
        }

        if (target.AgentCommand is not { Count: > 0 } agentCommand)
        {
            throw new LabException($"{LabPaths.StateFile(directory)} does not record how {target.Name}'s agent was started (a lab from an older hyperion): recreate the lab");
        }

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>();
        var started = new List<string>();
        var etcdNote = string.Empty;
        if (memberDown)
        {
            var etcd = state.Etcd!;
            var argv = EtcdCommandLine.Build(etcd, member!, newCluster: false);
            var offset = LabProcessControl.LogLength(member!.Log);
            var process = Launch(ref state, member.Role, $"etcd member {member.Name} (namespace {member.Namespace})", new ProcessSpec(argv[0], argv.Skip(1).ToList()) { WorkingDirectory = directory }, member.Log);
            started.Add($"etcd member {member.Name} (pid {process.Pid})");
            if (target.Isolated)
            {
                etcdNote = $"; {target.Name} is isolated, so its etcd member cannot rejoin until 'heal'";
            }
            else
            {
                waits.Add(FailFast(machine.Processes.WaitForEtcdHealthyAsync(process, member.ClientUrl, member.Log, StartTimeout, failFast.Token, offset), failFast));
            }
        }

        Task<string>? agentReady = null;
        ProcessTarget agent = default;
        if (agentDown)
        {
            var log = LabPaths.HostLog(directory, target.Index);
            var offset = LabProcessControl.LogLength(log);
            agent = Launch(ref state, target.Name, $"{target.Name} (namespace {target.Namespace})", new ProcessSpec(agentCommand[0], agentCommand.Skip(1).ToList())
            {
                WorkingDirectory = directory,
                Environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HYPERION_ROOT_PASSWORD"] = target.RootPassword },
            }, log);
            started.Add($"agent (pid {agent.Pid})");
            agentReady = FailFast(machine.Processes.WaitForReadyAsync(agent, log, ServerLog.HostReadyPrefix, StartTimeout, failFast.Token, offset), failFast);
            waits.Add(agentReady);
        }

        await output.WriteLineAsync($"powering on {target.Name}: started {string.Join(" and ", started)}; waiting for {(waits.Count == 1 ? "it" : "them")}");
        await output.FlushAsync(cancellationToken);
        await Task.WhenAll(waits);

        state = LabStateStore.Load(directory) ?? state;
        var current = state.FindHost(target.Index)!;
        if (agentReady is not null && ServerLog.FindFingerprint(await agentReady) is { } fingerprint && fingerprint != current.Fingerprint)
        {
            await output.WriteLineAsync($"  warning: {target.Name} has a new certificate ({fingerprint}); the Center still trusts {current.Fingerprint}");
            current = current with { Fingerprint = fingerprint };
        }

        current = current with { PoweredOff = false, AgentCrashed = false };
        state = state.WithHost(current);
        LabStateStore.Save(state);
        await output.WriteLineAsync($"  {target.Name} is ready{etcdNote}");
        await WaitConnectedAsync(state, current, cancellationToken);
    }

    /// <summary>Until the Center lists the host <c>connected</c> again (its monitor notices within an interval or two).</summary>
    private async Task WaitConnectedAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        if (state.Center is not { Fingerprint: not null } center || host.CenterHostId is null || !IsAlive(state, "center"))
        {
            return;
        }

        if (host.Isolated)
        {
            await output.WriteLineAsync($"  {host.Name} is isolated: the Center cannot reach it until 'hyperion lab fault {host.Name} --kind heal'");
            return;
        }

        using var api = new LabApiClient(new Uri(center.Url), center.Fingerprint, center.AdminUser, center.AdminPassword, TimeSpan.FromSeconds(10));
        var client = new LabCenterClient(api, machine.Time);
        var deadline = machine.Time.GetUtcNow() + ConnectTimeout;
        var last = "unknown";
        while (true)
        {
            try
            {
                last = (await client.ListHostsAsync(cancellationToken)).FirstOrDefault(h => h.Id == host.CenterHostId)?.ConnectionState ?? "not in the Center";
            }
            catch (LabException ex)
            {
                last = ex.Message;
            }

            if (last == "connected")
            {
                await output.WriteLineAsync($"  {host.Name} is connected in the Center ({host.CenterHostId})");
                return;
            }

            if (machine.Time.GetUtcNow() > deadline)
            {
                throw new LabException($"{host.Name} runs again, but the Center did not see it connected within {ConnectTimeout.TotalSeconds:F0} s (last: {last})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), machine.Time, cancellationToken);
        }
    }

    private ProcessTarget Launch(ref LabState state, string role, string description, ProcessSpec spec, string log)
    {
        var pid = machine.Launcher.Start(spec, log);
        var process = LabProcessControl.Describe(pid, description);
        state = state.WithProcess(new LabProcessRecord(role, pid, process.StartTime, log));
        LabStateStore.Save(state);
        return process;
    }

    private static bool IsAlive(LabState state, string role) =>
        state.FindProcess(role) is { } p && new ProcessTarget(p.Pid, p.StartTime, role).IsAlive;

    private static async Task<T> FailFast<T>(Task<T> wait, CancellationTokenSource failFast)
    {
        try
        {
            return await wait;
        }
        catch
        {
            await failFast.CancelAsync();
            throw;
        }
    }
}
