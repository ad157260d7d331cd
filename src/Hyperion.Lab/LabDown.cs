using Hyperion.Lab.Api;
using Hyperion.Lab.Faults;
using Hyperion.Lab.Planning;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;

namespace Hyperion.Lab;

/// <summary>
/// <c>hyperion lab down</c>: removes everything a lab recorded in its state.json, in an order that leaves nothing
/// behind: VMs powered off through their agents (agents leave VMs running when they stop, by design), the Center and
/// agents stopped (SIGTERM, then SIGKILL), any process still naming the lab directory stopped (QEMUs of VMs the API did
/// not reach), namespaces, veths and bridge deleted, the directory deleted. Every step tolerates what is already gone,
/// so running it twice, or after a <c>lab up</c> that died half-way, is fine.
/// </summary>
public sealed class LabDown(LabMachine machine, TextWriter output)
{
    /// <summary>How long the Center and agents get to stop after SIGTERM. Default 10 s.</summary>
    public TimeSpan ServerGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long QEMUs get after SIGTERM. Default 5 s.</summary>
    public TimeSpan QemuGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the whole power-off through the agents may take before signals take over. Default 20 s.</summary>
    public TimeSpan PowerOffTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <returns>True when nothing of the lab remains (also when there was no lab); false when something could not be removed (listed in the output).</returns>
    public async Task<bool> RunAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        LabState? state;
        try
        {
            state = LabStateStore.Load(directory);
        }
        catch (LabException ex)
        {
            await output.WriteLineAsync($"warning: {ex.Message}; removing the lab's processes and directory without it");
            state = null;
            if (!Directory.Exists(directory))
            {
                return true;
            }
        }

        if (state is null && !File.Exists(LabPaths.StateFile(directory)))
        {
            await output.WriteLineAsync(Directory.Exists(directory)
                ? $"no lab in {directory} (no {LabPaths.StateFileName}): nothing removed"
                : $"no lab in {directory}: nothing to do");
            return true;
        }

        await output.WriteLineAsync($"removing lab '{state?.Name ?? "?"}' in {directory}");
        if (state is not null)
        {
            // Undo network faults first, so the agents' APIs answer the power-offs below.
            await HealNetworkAsync(state, cancellationToken);
            await PowerOffVmsAsync(state, cancellationToken);
            var servers = state.Processes.Select(p => new ProcessTarget(p.Pid, p.StartTime, $"{p.Role} (pid {p.Pid})")).Where(p => p.IsAlive).ToList();
            var stubborn = await machine.Processes.StopAsync(servers, ServerGrace, cancellationToken);
            await ReportAsync("stopped", servers.Except(stubborn).Select(s => s.Description));
        }

        // QEMUs (detached from their agents by design) and anything else still working in the directory.
        var leftovers = LabProcessControl.FindByDirectory(directory);
        var unkillable = await machine.Processes.StopAsync(leftovers, QemuGrace, cancellationToken);
        await ReportAsync("stopped", leftovers.Except(unkillable).Select(s => s.Description));

        if (state is not null)
        {
            // Anything else still in the lab's namespaces (a helper an agent spawned, a process a fault left behind).
            var inside = new List<ProcessTarget>();
            foreach (var ns in state.Namespaces)
            {
                inside.AddRange(LabProcessControl.DescribeAll(await machine.Network.ListNamespacePidsAsync(ns, cancellationToken)));
            }

            var left = await machine.Processes.StopAsync(inside, QemuGrace, cancellationToken);
            await ReportAsync("stopped", inside.Except(left).Select(s => s.Description));
        }

        var problems = new List<string>();
        if (state is not null)
        {
            // Veths first (deleting one end removes both, at once), then the namespaces, then the bridge.
            foreach (var link in state.Links)
            {
                await TryAsync(problems, $"link {link}", () => machine.Network.DeleteLinkAsync(link, cancellationToken));
            }

            foreach (var ns in state.Namespaces)
            {
                await TryAsync(problems, $"namespace {ns}", () => machine.Network.DeleteNamespaceAsync(ns, cancellationToken));
            }

            if (state.Bridge is { } bridge)
            {
                await TryAsync(problems, $"bridge {bridge}", () => machine.Network.DeleteLinkAsync(bridge, cancellationToken));
            }

            await ReportAsync("removed", [.. state.Namespaces.Select(n => $"namespace {n}"), .. state.Links.Select(l => $"veth {l}"), .. state.Bridge is null ? Array.Empty<string>() : [$"bridge {state.Bridge}"]]);
        }

        await TryAsync(problems, directory, () =>
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return Task.CompletedTask;
        });

        problems.AddRange(await RemainsAsync(state, directory, cancellationToken));
        if (problems.Count > 0)
        {
            await output.WriteLineAsync($"could not remove: {string.Join("; ", problems)}");
            return false;
        }

        await output.WriteLineAsync($"removed {directory}; nothing of the lab remains");
        return true;
    }

    /// <summary>Best effort: links up and blackhole routes gone (deleting the namespaces would remove them anyway).</summary>
    private async Task HealNetworkAsync(LabState state, CancellationToken cancellationToken)
    {
        var faults = new LabNetworkFaults(machine.Network);
        var healed = new List<string>();
        foreach (var host in state.Hosts.Where(h => h.Isolated || h.Partitioned))
        {
            try
            {
                // Alone in the state it is given: every route it recorded goes, shared with another partitioned host or not.
                healed.AddRange(await faults.HealAsync(state with { Hosts = [host] }, host, cancellationToken));
            }
            catch (LabException ex)
            {
                await output.WriteLineAsync($"  warning: could not heal {host.Name}: {ex.Message}");
            }
        }

        await ReportAsync("healed", healed);
    }

    /// <summary>Asks every live agent to power off its running VMs; best effort within <see cref="PowerOffTimeout"/>.</summary>
    private async Task PowerOffVmsAsync(LabState state, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PowerOffTimeout);
        var alive = state.Hosts.Where(h => h.Fingerprint is not null && state.Processes.Any(p => p.Role == h.Name && new ProcessTarget(p.Pid, p.StartTime, p.Role).IsAlive));
        var results = await Task.WhenAll(alive.Select(h => PowerOffHostAsync(h, timeout.Token)));
        await ReportAsync("powered off", results.SelectMany(r => r));
    }

    private static async Task<IReadOnlyList<string>> PowerOffHostAsync(LabHostState host, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        try
        {
            using var api = new LabApiClient(new Uri(host.Url), host.Fingerprint!, LabUp.RootUser, host.RootPassword, TimeSpan.FromSeconds(15));
            var client = new LabHostClient(api);
            foreach (var vm in (await client.ListVmsAsync(cancellationToken)).Where(v => v.PowerState != "poweredOff"))
            {
                await client.PowerAsync(vm.Id, "power-off", cancellationToken);
                done.Add($"VM {vm.Name} on {host.Name}");
            }
        }
        catch (Exception ex) when (ex is LabException or OperationCanceledException)
        {
            // The agent is wedged or slow: its QEMUs are stopped by signal below.
        }

        return done;
    }

    /// <summary>What is still there after the removal: live recorded processes, processes in the directory, namespaces, links, the directory.</summary>
    private async Task<IReadOnlyList<string>> RemainsAsync(LabState? state, string directory, CancellationToken cancellationToken)
    {
        var remains = new List<string>();
        if (state is not null)
        {
            remains.AddRange(state.Processes.Where(p => new ProcessTarget(p.Pid, p.StartTime, p.Role).IsAlive).Select(p => $"process {p.Role} (pid {p.Pid})"));
            var namespaces = await machine.Network.ListNamespacesAsync(cancellationToken);
            remains.AddRange(state.Namespaces.Intersect(namespaces, StringComparer.Ordinal).Select(n => $"namespace {n}"));
            remains.AddRange(state.Links.Concat(state.Bridge is null ? [] : [state.Bridge]).Where(Networking.LabNetwork.LinkExists).Select(l => $"link {l}"));
        }

        remains.AddRange(LabProcessControl.FindByDirectory(directory).Select(p => $"process {p.Description}"));
        if (Directory.Exists(directory))
        {
            remains.Add($"directory {directory}");
        }

        return remains.Distinct(StringComparer.Ordinal).ToList();
    }

    private static async Task TryAsync(List<string> problems, string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is LabException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{what}: {ex.Message}");
        }
    }

    private async Task ReportAsync(string verb, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            await output.WriteLineAsync($"  {verb} {string.Join(", ", list)}");
        }
    }
}
