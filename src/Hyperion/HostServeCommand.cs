using System.CommandLine;
using Hyperion.Cli;
using Hyperion.Host;

namespace Hyperion;

/// <summary><c>hyperion host serve</c>: runs the host agent in the foreground.</summary>
internal static class HostServeCommand
{
    public static Command Create(CliConsole console)
    {
        var data = new Option<string>("--data") { Description = "Agent state directory (credentials, certificate, inventory, default datastore 'local')", Required = true };
        var listen = new Option<string>("--listen") { Description = "HTTPS address:port to serve the API on", DefaultValueFactory = _ => "127.0.0.1:8443" };
        var accel = new Option<string>("--accel") { Description = "auto (probe KVM with a real guest, fall back to TCG), kvm or tcg", DefaultValueFactory = _ => "auto" };
        accel.AcceptOnlyFromAmong("auto", "kvm", "tcg");
        var rootPassword = new Option<string?>("--root-password") { Description = "Root password to set at first start (default: $HYPERION_ROOT_PASSWORD, else generated and printed once)" };
        var tinyGuest = new Option<string?>("--tiny-guest") { Description = "Directory of the built tiny guest (default ~/.cache/hyperion/tiny-guest/current)" };
        var datastore = new Option<string[]>("--datastore") { Description = "Extra datastore NAME=DIRECTORY (repeatable)", AllowMultipleArgumentsPerToken = false };
        var qemu = new Option<string>("--qemu") { Description = "QEMU system emulator binary", DefaultValueFactory = _ => "qemu-system-x86_64" };
        var driver = new Option<string>("--driver") { Description = "qemu, or simulated: in-memory stand-in VMs for scale tests (labelled as such everywhere)", DefaultValueFactory = _ => "qemu" };
        driver.AcceptOnlyFromAmong("qemu", "simulated");
        var migrationAddress = new Option<string?>("--migration-address") { Description = "IP address incoming live migrations listen on (default: the --listen address)" };
        var memory = new Option<long?>("--memory-mib") { Description = "Memory (MiB) this host gives its VMs (default: all of the machine's); lets the agents of a lab model hosts of a given size" };
        var etcd = new Option<string?>("--etcd") { Description = "etcd client URLs for HA, comma-separated (this host's own member first), e.g. http://10.99.0.11:2379,http://10.99.0.12:2379; without it HA cannot be enabled here" };
        var metricsInterval = new Option<double>("--metrics-interval") { Description = "Seconds between performance samples of the host and its VMs", DefaultValueFactory = _ => 20 };

        var command = new Command("serve", "Run the host agent: VMs as QEMU processes that outlive the agent, served over HTTPS")
        {
            data, listen, accel, rootPassword, tinyGuest, datastore, qemu, driver, metricsInterval, migrationAddress, memory, etcd,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stores = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in parse.GetValue(datastore) ?? [])
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == item.Length - 1)
                {
                    await console.Error.WriteLineAsync($"error: --datastore '{item}' is not NAME=DIRECTORY");
                    return CliExitCodes.Usage;
                }

                stores[item[..eq]] = Path.GetFullPath(item[(eq + 1)..]);
            }

            var options = new HostAgentOptions
            {
                DataDirectory = parse.GetValue(data)!,
                Listen = parse.GetValue(listen)!,
                Accel = parse.GetValue(accel)!,
                InitialRootPassword = parse.GetValue(rootPassword) ?? console.GetEnvironmentVariable("HYPERION_ROOT_PASSWORD"),
                TinyGuestDirectory = parse.GetValue(tinyGuest),
                Datastores = stores,
                QemuBinary = parse.GetValue(qemu)!,
                Driver = parse.GetValue(driver)!,
                MetricsInterval = TimeSpan.FromSeconds(parse.GetValue(metricsInterval)),
                MigrationAddress = parse.GetValue(migrationAddress),
                MemoryMiB = parse.GetValue(memory),
                EtcdEndpoints = (parse.GetValue(etcd) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            return await HostAgent.RunAsync(options, console.Out, ct);
        });
        return command;
    }
}
