namespace Hyperion.Contracts.Vms;

/// <summary>
/// <c>POST /api/vms/{vm}/clone</c>: copy a VM or template into a new VM <see cref="Name"/> on this host. A full clone
/// (default) copies every disk, also of a running VM (crash-consistent, all disks at one point); a
/// <see cref="Linked"/> clone makes copy-on-write overlays on a template's disks, on the template's datastore.
/// </summary>
public sealed record VmCloneRequest(string Name)
{
    /// <summary>Datastore for the clone; default: the source's.</summary>
    public string? Datastore { get; init; }

    public bool Linked { get; init; }

    /// <summary>A full clone of the VM as it was at this snapshot (name or id) instead of its current state.</summary>
    public string? Snapshot { get; init; }

    public bool PowerOn { get; init; }

    /// <summary>Guest customization delivered as a cloud-init NoCloud seed attached to the clone.</summary>
    public GuestCustomizationDto? Customization { get; init; }
}

/// <summary>
/// What the guest is told at its first boot (cloud-init NoCloud): hostname, a user with SSH keys and/or a password
/// (the password needs the user), and its network (DHCP when <see cref="Network"/> is null).
/// </summary>
public sealed record GuestCustomizationDto(string Hostname)
{
    public string? User { get; init; }

    public string? Password { get; init; }

    public IReadOnlyList<string>? SshAuthorizedKeys { get; init; }

    public GuestNetworkDto? Network { get; init; }
}

/// <summary>A static address in CIDR form (e.g. <c>192.0.2.10/24</c>), gateway and DNS servers; no address: DHCP.
/// <see cref="MacAddress"/> picks the NIC (default: the first Ethernet interface).</summary>
public sealed record GuestNetworkDto
{
    public string? Address { get; init; }

    public string? Gateway { get; init; }

    public IReadOnlyList<string>? DnsServers { get; init; }

    public string? MacAddress { get; init; }
}
