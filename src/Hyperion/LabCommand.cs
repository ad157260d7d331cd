using System.CommandLine;
using System.Reflection;
using Hyperion.Cli;
using Hyperion.Lab;
using Hyperion.Lab.Faults;

namespace Hyperion;

/// <summary>
/// <c>hyperion lab up|status|down|fault|power-on</c>: a Center, N host agents and an etcd cluster on this machine, each
/// host in its own network namespace, sharing one datastore (see <see cref="LabUp"/>); faults for HA tests (see <see cref="LabFault"/>).
/// </summary>
internal static class LabCommand
{
    public const string LabCommandName = "lab";

    /// <summary>A lab step failed, the lab is unhealthy, or something could not be removed (the message says which).</summary>
    private const int Failed = 1;

    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var lab = new Command(LabCommandName, "A Center and several hosts on this machine, each host in its own network namespace, for demos and tests");
        lab.Subcommands.Add(CreateUp(console));
        lab.Subcommands.Add(CreateStatus(console));
        lab.Subcommands.Add(CreateDown(console));
        lab.Subcommands.Add(CreateFault(console));
        lab.Subcommands.Add(CreatePowerOn(console));
        return lab;
    }

    private static Command CreateUp(CliConsole console)
    {
        var (name, dir) = LocationOptions();
        var hosts = new Option<int>("--hosts") { Description = $"Number of host agents (1–{LabOptions.MaxHosts})", DefaultValueFactory = _ => 2 };
        var subnet = new Option<string>("--subnet") { Description = "IPv4 network of the lab bridge: .1 is the Center, .(10+N) host N", DefaultValueFactory = _ => LabOptions.DefaultSubnet };
        var accel = new Option<string>("--accel") { Description = "Passed to every agent: auto (probe KVM), kvm or tcg", DefaultValueFactory = _ => "auto" };
        accel.AcceptOnlyFromAmong([.. LabOptions.AccelChoices]);
        var tinyGuest = new Option<string?>("--tiny-guest") { Description = "Directory of the built tiny guest, passed to every agent (default: the agent's, ~/.cache/hyperion/tiny-guest/current)" };
        var noEtcd = new Option<bool>("--no-etcd") { Description = "Run no etcd cluster (by default one member per host, plus a witness on the bridge when the host count is even, passed to every agent's --etcd)" };
        var command = new Command("up", "Start an etcd cluster, a Center and N host agents (detached), add the hosts to a cluster, run a demo VM, write DIR/lab.env")
        {
            name, dir, hosts, subnet, accel, tinyGuest, noEtcd,
        };
        command.SetAction(async (parse, ct) =>
        {
            var labName = parse.GetValue(name)!;
            var options = new LabOptions
            {
                Name = labName,
                Directory = ResolveDirectory(parse.GetValue(dir), labName),
                Hosts = parse.GetValue(hosts),
                Subnet = parse.GetValue(subnet)!,
                Accel = parse.GetValue(accel)!,
                TinyGuestDirectory = parse.GetValue(tinyGuest) is { } t ? Path.GetFullPath(t) : null,
                HyperionCommand = HyperionCommand(),
                Etcd = !parse.GetValue(noEtcd),
            };
            if (options.Validate() is { Count: > 0 } errors)
            {
                foreach (var error in errors)
                {
                    await console.Error.WriteLineAsync($"error: {error}");
                }

                return CliExitCodes.Usage;
            }

            try
            {
                await new LabUp(LabMachine.Local(), console.Out).RunAsync(options, ct);
                return CliExitCodes.Success;
            }
            catch (LabException ex)
            {
                await console.Error.WriteLineAsync($"error: {ex.Message}");
                return Failed;
            }
            catch (OperationCanceledException)
            {
                await console.Error.WriteLineAsync("error: lab up was interrupted");
                return Failed;
            }
        });
        return command;
    }

    private static Command CreateStatus(CliConsole console)
    {
        var (name, dir) = LocationOptions();
        var command = new Command("status", "Show the lab's Center and hosts (process alive, connection state in the Center) and its VMs; exit 1 unless all is well") { name, dir };
        command.SetAction(async (parse, ct) =>
        {
            var directory = ResolveDirectory(parse.GetValue(dir), parse.GetValue(name)!);
            try
            {
                var report = await new LabStatus(LabMachine.Local()).GetAsync(directory, ct);
                if (report is null)
                {
                    await console.Error.WriteLineAsync($"error: no lab in {directory} (start one with 'hyperion lab up')");
                    return Failed;
                }

                await console.Out.WriteAsync(report.Render());
                return report.IsHealthy ? CliExitCodes.Success : Failed;
            }
            catch (LabException ex)
            {
                await console.Error.WriteLineAsync($"error: {ex.Message}");
                return Failed;
            }
        });
        return command;
    }

    private static Command CreateDown(CliConsole console)
    {
        var (name, dir) = LocationOptions();
        var command = new Command("down", "Stop the lab's VMs, Center and agents; delete its namespaces, veths, bridge and directory (safe to repeat)") { name, dir };
        command.SetAction(async (parse, ct) =>
        {
            var directory = ResolveDirectory(parse.GetValue(dir), parse.GetValue(name)!);
            var clean = await new LabDown(LabMachine.Local(), console.Out).RunAsync(directory, ct);
            return clean ? CliExitCodes.Success : Failed;
        });
        return command;
    }

    private static Command CreateFault(CliConsole console)
    {
        var (name, dir) = LocationOptions();
        var host = new Argument<string>("HOST") { Description = "The host: host-N or N" };
        var kind = new Option<string>("--kind")
        {
            Description = "power-off (SIGKILL everything in its namespace), agent-crash (SIGKILL the agent only), isolate (its link down), partition (unreachable from the other hosts), heal (undo isolate/partition)",
            Required = true,
        };
        kind.AcceptOnlyFromAmong([.. LabFaultKinds.Names]);
        var command = new Command("fault", "Inject a failure into a lab host for HA tests (recorded; undone by heal, power-on or lab down)") { host, kind, name, dir };
        command.SetAction(async (parse, ct) =>
        {
            var directory = ResolveDirectory(parse.GetValue(dir), parse.GetValue(name)!);
            return await RunAsync(console, "lab fault", () => new LabFault(LabMachine.Local(), console.Out).RunAsync(directory, parse.GetValue(host)!, LabFaultKinds.Parse(parse.GetValue(kind)), ct));
        });
        return command;
    }

    private static Command CreatePowerOn(CliConsole console)
    {
        var (name, dir) = LocationOptions();
        var host = new Argument<string>("HOST") { Description = "The host: host-N or N" };
        var command = new Command("power-on", "Restart a lab host's etcd member and agent after a power-off or agent-crash fault; wait until ready and connected") { host, name, dir };
        command.SetAction(async (parse, ct) =>
        {
            var directory = ResolveDirectory(parse.GetValue(dir), parse.GetValue(name)!);
            return await RunAsync(console, "lab power-on", () => new LabPowerOn(LabMachine.Local(), console.Out).RunAsync(directory, parse.GetValue(host)!, ct));
        });
        return command;
    }

    /// <summary>Runs a lab verb: <c>error: …</c> and exit 1 for a <see cref="LabException"/> or an interruption.</summary>
    private static async Task<int> RunAsync(CliConsole console, string verb, Func<Task> action)
    {
        try
        {
            await action();
            return CliExitCodes.Success;
        }
        catch (LabException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync($"error: {verb} was interrupted");
            return Failed;
        }
    }

    private static (Option<string> Name, Option<string?> Directory) LocationOptions()
    {
        var name = new Option<string>("--name") { Description = "Lab name (1–7 of a-z0-9); names its bridge hyp<name>-br and namespaces hyp<name>-N", DefaultValueFactory = _ => LabOptions.DefaultName };
        name.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!LabOptions.IsValidName(value))
            {
                result.AddError($"--name '{value}' must be 1–7 characters: a lower-case letter, then letters or digits");
            }
        });
        var dir = new Option<string?>("--dir") { Description = "Lab directory (default /var/lib/hyperion/labs/<name> for root, else ~/.local/share/hyperion/labs/<name>)" };
        return (name, dir);
    }

    private static string ResolveDirectory(string? dir, string name) =>
        Path.GetFullPath(dir ?? LabOptions.DefaultDirectory(
            name,
            Environment.IsPrivilegedProcess,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            Environment.GetEnvironmentVariable("XDG_DATA_HOME")));

    /// <summary>The argv that runs this very executable: the apphost, or <c>dotnet hyperion.dll</c> when started through the muxer.</summary>
    private static string[] HyperionCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            var dll = Assembly.GetEntryAssembly()?.Location;
            return string.IsNullOrEmpty(dll) ? throw new InvalidOperationException("the path of hyperion.dll is unknown") : [process, dll];
        }

        return [process];
    }
}
