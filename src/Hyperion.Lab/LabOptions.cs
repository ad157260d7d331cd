using System.Text.RegularExpressions;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab;

/// <summary>What <c>hyperion lab up</c> builds. The defaults make the demo lab of the README.</summary>
public sealed partial record LabOptions
{
    public const string DefaultName = "lab";
    public const string DefaultSubnet = "10.99.0.0/24";
    public const int MaxHosts = 64;
    public const string DefaultEtcdCommand = "/usr/bin/etcd";
    public static readonly IReadOnlyList<string> AccelChoices = ["auto", "kvm", "tcg"];

    /// <summary>
    /// The lab's name, <c>[a-z][a-z0-9]{0,6}</c> (Linux interface names are at most 15 bytes); it names the bridge
    /// <c>hyp{name}-br</c>, the namespaces <c>hyp{name}-N</c> and the veths, so labs with different names coexist.
    /// Default <c>lab</c>.
    /// </summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>The lab directory (absolute): center/, host-N/, shared/, logs/, lab.env, state.json. Default <see cref="DefaultDirectory"/>.</summary>
    public required string Directory { get; init; }

    /// <summary>Number of host agents, 1–<see cref="MaxHosts"/>. Default 2.</summary>
    public int Hosts { get; init; } = 2;

    /// <summary>IPv4 network of the lab bridge, prefix /8–/28; .1 is the Center, .(10+N) host N. Default 10.99.0.0/24.</summary>
    public string Subnet { get; init; } = DefaultSubnet;

    /// <summary>Passed to every agent's <c>--accel</c>: auto, kvm or tcg. Default auto.</summary>
    public string Accel { get; init; } = "auto";

    /// <summary>Passed to every agent's <c>--tiny-guest</c> when set; default null (the agent's own default).</summary>
    public string? TinyGuestDirectory { get; init; }

    /// <summary>The argv that runs the <c>hyperion</c> executable (for example <c>dotnet /path/hyperion.dll</c>); the lab appends <c>center serve …</c>.</summary>
    public required IReadOnlyList<string> HyperionCommand { get; init; }

    /// <summary>The Center's HTTPS port on the bridge address. Default 9443.</summary>
    public int CenterPort { get; init; } = 9443;

    /// <summary>Every host agent's HTTPS port (each in its own namespace). Default 8443.</summary>
    public int HostPort { get; init; } = 8443;

    /// <summary>How long the Center or an agent may take to print its listening line. Default 120 s (an agent with <c>--accel auto</c> boots a probe guest first).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the demo VM may take to be created, powered on and seen by the Center. Default 120 s.</summary>
    public TimeSpan DemoVmTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The Center's <c>--host-monitor-interval</c>. Default 2 s, so the lab's inventory converges quickly.</summary>
    public TimeSpan HostMonitorInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Run an etcd cluster for HA (a member per host, plus a witness when the host count is even) and pass it to every agent's <c>--etcd</c>. Default true; <c>--no-etcd</c> turns it off.</summary>
    public bool Etcd { get; init; } = true;

    /// <summary>The etcd server binary. Default <c>/usr/bin/etcd</c> (Debian's etcd-server, 3.4).</summary>
    public string EtcdCommand { get; init; } = DefaultEtcdCommand;

    /// <summary>Every member's client port on its address. Default 2379.</summary>
    public int EtcdClientPort { get; init; } = 2379;

    /// <summary>Every member's peer port on its address. Default 2380.</summary>
    public int EtcdPeerPort { get; init; } = 2380;

    /// <summary>etcd's <c>--heartbeat-interval</c>. Default 100 ms (etcd's default, kept explicit).</summary>
    public TimeSpan EtcdHeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>etcd's <c>--election-timeout</c>, at least 5 heartbeats (etcd refuses less). Default 1000 ms (etcd's default, kept explicit).</summary>
    public TimeSpan EtcdElectionTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>How long the etcd cluster may take to report healthy on every member. Default 30 s (it takes about a second).</summary>
    public TimeSpan EtcdStartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The default lab directory for <paramref name="name"/>: <c>/var/lib/hyperion/labs/NAME</c> for root (the lab needs
    /// root for its namespaces), else <c>${XDG_DATA_HOME:-~/.local/share}/hyperion/labs/NAME</c>.
    /// </summary>
    public static string DefaultDirectory(string name, bool privileged, string? home, string? xdgDataHome)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (privileged)
        {
            return Path.Combine("/var/lib/hyperion/labs", name);
        }

        var data = !string.IsNullOrEmpty(xdgDataHome) ? xdgDataHome : Path.Combine(home ?? "/", ".local", "share");
        return Path.Combine(data, "hyperion", "labs", name);
    }

    /// <summary>True when <paramref name="name"/> can name a lab.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>Every problem with these options, as messages for <c>error: …</c>; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsValidName(Name))
        {
            errors.Add($"--name '{Name}' must be 1–7 characters: a lower-case letter, then letters or digits");
        }

        if (Hosts is < 1 or > MaxHosts)
        {
            errors.Add($"--hosts {Hosts} must be between 1 and {MaxHosts}");
        }

        if (!Ipv4Subnet.TryParse(Subnet, out var subnet, out var subnetError))
        {
            errors.Add($"--subnet: {subnetError}");
        }
        else if (subnet.PrefixLength is < 8 or > 28)
        {
            errors.Add($"--subnet {Subnet}: the prefix must be between /8 and /28");
        }
        else if (Hosts is >= 1 and <= MaxHosts && LabPlan.FirstHostOffset + (uint)Hosts >= subnet.Size - 1)
        {
            errors.Add($"--subnet {Subnet} has no room for {Hosts} hosts at .{LabPlan.FirstHostOffset + 1} and up");
        }

        if (!AccelChoices.Contains(Accel))
        {
            errors.Add($"--accel '{Accel}' is not one of {string.Join(", ", AccelChoices)}");
        }

        if (string.IsNullOrEmpty(Directory) || !Path.IsPathFullyQualified(Directory))
        {
            errors.Add($"the lab directory '{Directory}' must be an absolute path");
        }

        if (HyperionCommand.Count == 0)
        {
            errors.Add("the command that runs hyperion is empty");
        }

        if (CenterPort is < 1 or > 65535 || HostPort is < 1 or > 65535)
        {
            errors.Add("ports must be between 1 and 65535");
        }

        if (Etcd)
        {
            if (EtcdClientPort is < 1 or > 65535 || EtcdPeerPort is < 1 or > 65535 || EtcdClientPort == EtcdPeerPort)
            {
                errors.Add("the etcd client and peer ports must differ and be between 1 and 65535");
            }
            else if (new[] { EtcdClientPort, EtcdPeerPort }.Intersect([CenterPort, HostPort]).Any())
            {
                errors.Add("the etcd ports must differ from the Center's and the hosts' ports");
            }

            if (EtcdHeartbeatInterval < TimeSpan.FromMilliseconds(1) || EtcdElectionTimeout < 5 * EtcdHeartbeatInterval)
            {
                errors.Add($"the etcd election timeout ({EtcdElectionTimeout.TotalMilliseconds} ms) must be at least 5 heartbeat intervals ({EtcdHeartbeatInterval.TotalMilliseconds} ms)");
            }

            if (string.IsNullOrEmpty(EtcdCommand))
            {
                errors.Add("the etcd command is empty");
            }
        }

        return errors;
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
