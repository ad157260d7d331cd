namespace Hyperion.Host;

/// <summary>Settings of the host agent (<c>hyperion host serve</c>).</summary>
public sealed record HostAgentOptions
{
    /// <summary>Where the agent keeps its state: credentials, certificate, inventory, events, run directory, default datastore. Required.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>HTTPS listen address. Default <c>127.0.0.1:8443</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:8443";

    /// <summary><c>auto</c> (probe KVM, fall back to TCG), <c>kvm</c> or <c>tcg</c>. Default <c>auto</c>.</summary>
    public string Accel { get; init; } = "auto";

    /// <summary>How long the KVM probe guest may take to print its boot marker. Default 10 s (a working KVM boots it in well under 1 s; TCG in ~5 s).</summary>
    public TimeSpan ProbeDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public string QemuBinary { get; init; } = "qemu-system-x86_64";

    /// <summary><c>qemu</c> (default) or <c>simulated</c>: in-memory VMs for scale tests only, labelled as such in host info.</summary>
    public string Driver { get; init; } = "qemu";

    public string QemuImgBinary { get; init; } = "qemu-img";

    /// <summary>Folder holding the built tiny guest (manifest.json, vmlinux, initramfs). Default <c>$HYPERION_CACHE/tiny-guest/current</c> or <c>~/.cache/hyperion/tiny-guest/current</c>.</summary>
    public string? TinyGuestDirectory { get; init; }

    /// <summary>Extra datastores as name → directory; the agent always has <c>local</c> under its data directory.</summary>
    public IReadOnlyDictionary<string, string> Datastores { get; init; } = new Dictionary<string, string>();

    /// <summary>Root password to set at first start; generated and printed once when null.</summary>
    public string? InitialRootPassword { get; init; }

    /// <summary>Default time a guest gets to power off after an ACPI shutdown request. Default 60 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the supervisor checks that each QEMU process still exists, besides watching its QMP socket. Default 500 ms.</summary>
    public TimeSpan LivenessInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the agent samples the host's and each running VM's CPU, memory, disk and network. Default 20 s (vSphere's realtime interval).</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the agent pings the QEMU guest agent of each running VM that has the channel (status and VM monitoring's heartbeat). Default 2 s.</summary>
    public TimeSpan GuestAgentInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long samples stay in the agent's memory for <c>GET /api/metrics</c>. Default 1 hour.</summary>
    public TimeSpan MetricsRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Memory (MiB) this host gives its VMs; default all of the machine's. Lets several agents of one machine (a lab)
    /// model hosts of a given size; never more than the machine has.
    /// </summary>
    public long? MemoryMiB { get; init; }

    /// <summary>etcd client URLs (<c>http://ADDRESS:PORT</c>) for HA: leases, master election, VM ownership. Empty: HA cannot be enabled on this host.</summary>
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];

    /// <summary>HA timing (lease TTL, keepalive, self-fencing margin, heartbeat staleness). Defaults documented on <see cref="Ha.HaOptions"/>.</summary>
    public Ha.HaOptions Ha { get; init; } = new();

    /// <summary>IP address incoming live migrations listen on. Default: the address of <see cref="Listen"/> (which must then not be a wildcard).</summary>
    public string? MigrationAddress { get; init; }

    /// <summary>The address incoming migrations listen on, or null when none can be derived (listening on every address).</summary>
    public string? ResolveMigrationAddress()
    {
        if (!string.IsNullOrEmpty(MigrationAddress))
        {
            return MigrationAddress;
        }

        return System.Net.IPEndPoint.TryParse(Listen, out var endpoint)
            && !endpoint.Address.Equals(System.Net.IPAddress.Any) && !endpoint.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? endpoint.Address.ToString()
            : null;
    }

    public string ResolveTinyGuestDirectory()
    {
        if (TinyGuestDirectory is not null)
        {
            return TinyGuestDirectory;
        }

        var cache = Environment.GetEnvironmentVariable("HYPERION_CACHE");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hyperion");
        }

        return Path.Combine(cache, "tiny-guest", "current");
    }
}
