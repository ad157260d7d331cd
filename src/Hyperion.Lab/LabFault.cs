using Hyperion.Lab.Faults;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;

namespace Hyperion.Lab;

/// <summary>
/// <c>hyperion lab fault HOST --kind K</c>: injects a failure into one lab host for HA tests (see
/// <see cref="LabFaultKind"/>) and records it in state.json, so <c>lab status</c> shows it and <c>heal</c>,
/// <c>lab power-on</c> and <c>lab down</c> undo it. It only ever touches the lab's own namespaces, veths and recorded
/// processes (PID and start time); a power-off kills whatever runs in the host's namespace, which is the lab's.
/// </summary>
public sealed class LabFault(LabMachine machine, TextWriter output)
{
    /// <exception cref="LabException">No lab, unknown host, or the fault does not apply (already powered off, agent not running, …).</exception>
    public async Task RunAsync(string directory, string host, LabFaultKind kind, CancellationToken cancellationToken)
    {
        var state = LabStateStore.Load(directory) ?? throw new LabException($"no lab in {directory} (start one with 'hyperion lab up')");
        var target = LabHostSelector.Find(state, host);
        if (target.PoweredOff && kind != LabFaultKind.Heal)
        {
            throw new LabException($"{target.Name} is powered off already: 'hyperion lab power-on {target.Name}' first");
        }

        switch (kind)
        {
            case LabFaultKind.PowerOff:
                await PowerOffAsync(state, target, cancellationToken);
                break;
            case LabFaultKind.AgentCrash:
                await CrashAgentAsync(state, target, cancellationToken);
                break;
            case LabFaultKind.Isolate:
                await IsolateAsync(state, target, cancellationToken);
                break;
            case LabFaultKind.Partition:
                await PartitionAsync(state, target, cancellationToken);
                break;
            case LabFaultKind.Heal:
                await HealAsync(state, target, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Every process of the namespace at once, so none sees another die first; again for any forked meanwhile.</summary>
    private async Task PowerOffAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        var killed = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var targets = LabProcessControl.DescribeAll(await machine.Network.ListNamespacePidsAsync(host.Namespace, cancellationToken));
            if (targets.Count == 0)
            {
                break;
            }

            var stubborn = await machine.Processes.KillAsync(targets, cancellationToken);
            if (stubborn.Count > 0)
            {
                throw new LabException($"{string.Join(", ", stubborn.Select(s => s.Description))} in {host.Namespace} survived SIGKILL");
            }

            killed.AddRange(targets.Select(t => t.Description));
        }

        Save(state.WithHost(host with { PoweredOff = true, AgentCrashed = false }));
        await output.WriteLineAsync(killed.Count == 0
            ? $"powered off {host.Name}: nothing was running in namespace {host.Namespace}"
            : $"powered off {host.Name}: SIGKILL to every process in namespace {host.Namespace}: {string.Join(", ", killed)}");
        await output.WriteLineAsync($"  undo with: hyperion lab power-on {host.Name} --dir {state.Directory}");
    }

    private async Task CrashAgentAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        var record = state.FindProcess(host.Name);
        var agent = record is null ? default : new ProcessTarget(record.Pid, record.StartTime, $"{host.Name}'s agent (pid {record.Pid})");
        if (record is null || !agent.IsAlive)
        {
            throw new LabException($"the agent of {host.Name} is not running (see 'hyperion lab status --dir {state.Directory}')");
        }

        var stubborn = await machine.Processes.KillAsync([agent], cancellationToken);
        if (stubborn.Count > 0)
        {
            throw new LabException($"{agent.Description} survived SIGKILL");
        }

        Save(state.WithHost(host with { AgentCrashed = true }));
        var survivors = LabProcessControl.DescribeAll(await machine.Network.ListNamespacePidsAsync(host.Namespace, cancellationToken));
        await output.WriteLineAsync($"crashed {host.Name}'s agent: SIGKILL to pid {agent.Pid}; still running in {host.Namespace}: " +
            (survivors.Count == 0 ? "nothing" : string.Join(", ", survivors.Select(s => s.Description))));
        await output.WriteLineAsync($"  undo with: hyperion lab power-on {host.Name} --dir {state.Directory}");
    }

    private async Task IsolateAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        if (host.Isolated)
        {
            throw new LabException($"{host.Name} is isolated already");
        }

        // Recorded first: a failure half-way still leaves 'heal' (and 'lab down') knowing what to undo.
        Save(state.WithHost(host with { Isolated = true }));
        await new LabNetworkFaults(machine.Network).IsolateAsync(state, host, cancellationToken);
        await output.WriteLineAsync($"isolated {host.Name}: link {LabNetworkFaults.PeerVeth(state, host)} down in namespace {host.Namespace} (no network; its agent, VMs, etcd member and the shared datastore carry on)");
        await output.WriteLineAsync($"  undo with: hyperion lab fault {host.Name} --kind heal --dir {state.Directory}");
    }

    private async Task PartitionAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        if (host.Partitioned)
        {
            throw new LabException($"{host.Name} is partitioned already");
        }

        var routes = LabNetworkFaults.PartitionRoutes(state, host);
        if (routes.Count == 0)
        {
            throw new LabException($"{host.Name} is the lab's only host: there is no other host to partition it from");
        }

        Save(state.WithHost(host with { PartitionRoutes = routes }));
        await new LabNetworkFaults(machine.Network).AddRoutesAsync(routes, cancellationToken);
        await output.WriteLineAsync($"partitioned {host.Name} from the other hosts (the bridge address, Center and witness, stay reachable): " +
            string.Join(", ", routes.Select(r => $"blackhole {r.Destination} in {r.Namespace}")));
        await output.WriteLineAsync($"  undo with: hyperion lab fault {host.Name} --kind heal --dir {state.Directory}");
    }

    private async Task HealAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        var done = await new LabNetworkFaults(machine.Network).HealAsync(state, host, cancellationToken);
        var healed = host with { Isolated = false, PartitionRoutes = null };
        Save(state.WithHost(healed));
        await output.WriteLineAsync(done.Count == 0
            ? $"{host.Name} has no network fault in effect: nothing to heal"
            : $"healed {host.Name}: {string.Join(", ", done)}");
        if (healed.PoweredOff || healed.AgentCrashed)
        {
            await output.WriteLineAsync($"  {host.Name} is still {(healed.PoweredOff ? "powered off" : "without its agent")}: 'heal' does not restart processes; use: hyperion lab power-on {host.Name} --dir {state.Directory}");
        }
    }

    private static void Save(LabState state) => LabStateStore.Save(state);
}
