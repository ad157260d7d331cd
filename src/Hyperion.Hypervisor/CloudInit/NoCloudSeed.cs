using System.Text;
using Hyperion.Domain.Vms;

namespace Hyperion.Hypervisor.CloudInit;

/// <summary>
/// Renders a <see cref="GuestCustomization"/> as the three files of a cloud-init NoCloud seed. Pure text, no I/O:
/// <see cref="NoCloudSeedWriter"/> packs the result into an ISO. Every value that came from a user is a
/// <see cref="YamlScalar.Quote">double-quoted YAML scalar</see>, so none can add keys of its own.
/// </summary>
public static class NoCloudSeed
{
    public const int MaxInstanceIdLength = 128;

    /// <summary>Passwordless sudo for the customized user, as cloud images do for their default user.</summary>
    public const string SudoRule = "ALL=(ALL) NOPASSWD:ALL";

    /// <summary>Validates <paramref name="customization"/> (a <c>customization.invalid</c> <see cref="Domain.Errors.DomainException"/> when wrong) and renders it.</summary>
    /// <param name="instanceId">
    /// cloud-init runs its per-instance modules (users, keys, hostname) again whenever this changes, so derive it from the
    /// VM's id plus a generation that changes with the customization (e.g. <c>vm-42-3</c>).
    /// </param>
    public static NoCloudSeedFiles Render(GuestCustomization customization, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(customization);
        ValidateInstanceId(instanceId);
        customization.ThrowIfInvalid();
        return new NoCloudSeedFiles(MetaData(customization, instanceId), UserData(customization), NetworkConfig(customization.Network));
    }

    private static string MetaData(GuestCustomization customization, string instanceId)
    {
        var yaml = new StringBuilder();
        yaml.Append("instance-id: ").Append(YamlScalar.Quote(instanceId)).Append('\n');
        yaml.Append("local-hostname: ").Append(YamlScalar.Quote(customization.Hostname)).Append('\n');
        return yaml.ToString();
    }

    private static string UserData(GuestCustomization customization)
    {
        var yaml = new StringBuilder();
        yaml.Append("#cloud-config\n");
        yaml.Append("hostname: ").Append(YamlScalar.Quote(customization.ShortHostname)).Append('\n');
        if (customization.Hostname.Contains('.', StringComparison.Ordinal))
        {
            yaml.Append("fqdn: ").Append(YamlScalar.Quote(customization.Hostname)).Append('\n');
        }

        yaml.Append("preserve_hostname: false\n");

        // Without it some images (Ubuntu's) keep the old name in /etc/hosts and sudo complains it cannot resolve the new one.
        yaml.Append("manage_etc_hosts: true\n");
        yaml.Append("users:\n");
        yaml.Append("  - default\n");
        if (customization.User is { } user)
        {
            yaml.Append("  - name: ").Append(YamlScalar.Quote(user)).Append('\n');
            yaml.Append("    sudo: ").Append(YamlScalar.Quote(SudoRule)).Append('\n');
            yaml.Append("    shell: /bin/bash\n");
            if (customization.Password is { } password)
            {
                yaml.Append("    lock_passwd: false\n");
                yaml.Append("    plain_text_passwd: ").Append(YamlScalar.Quote(password)).Append('\n');
            }

            AppendKeys(yaml, "    ", customization.SshAuthorizedKeys);
        }
        else
        {
            // No user of our own: the keys go to the image's default user (debian, ubuntu, cloud-user, ...).
            AppendKeys(yaml, string.Empty, customization.SshAuthorizedKeys);
        }

        yaml.Append("ssh_pwauth: ").Append(customization.Password is null ? "false" : "true").Append('\n');
        return yaml.ToString();
    }

    private static void AppendKeys(StringBuilder yaml, string indent, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        yaml.Append(indent).Append("ssh_authorized_keys:\n");
        foreach (var key in keys)
        {
            yaml.Append(indent).Append("  - ").Append(YamlScalar.Quote(key)).Append('\n');
        }
    }

    private static string NetworkConfig(GuestNetwork network)
    {
        var yaml = new StringBuilder();
        yaml.Append("version: 2\n");
        yaml.Append("ethernets:\n");
        yaml.Append("  id0:\n");
        yaml.Append("    match:\n");
        if (network.MacAddress is { } mac)
        {
            // No set-name: cloud-init's renderers then look the interface's own name up by MAC instead of renaming it.
            yaml.Append("      macaddress: ").Append(YamlScalar.Quote(mac.ToLowerInvariant())).Append('\n');
        }
        else
        {
            // Every ethernet-like name (eth0, ens3, enp0s2): the platform does not know how the image names its NIC.
            yaml.Append("      name: \"e*\"\n");
        }

        if (network.Address is null)
        {
            yaml.Append("    dhcp4: true\n");
        }
        else
        {
            // Validated above, so these parse; render the canonical form.
            if (!GuestNetwork.TryParseCidr(network.Address, out var address, out var prefixLength, out var problem))
            {
                throw new InvalidOperationException($"unvalidated address '{network.Address}': {problem}");
            }

            yaml.Append("    dhcp4: false\n");
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                yaml.Append("    dhcp6: false\n");
            }

            yaml.Append("    addresses:\n");
            yaml.Append("      - ").Append(YamlScalar.Quote($"{address}/{prefixLength}")).Append('\n');
            if (network.Gateway is not null)
            {
                // Not netplan's newer "to: default": cloud-init's own v2 parser (every renderer but netplan) learned it only in
                // 2025 (canonical/cloud-init#6391; Debian 12's 22.4 fails with "Address default is not a valid ip address"),
                // and netplan 0.99 (Ubuntu 20.04) rejects it too (canonical/cloud-init#4133).
                yaml.Append("    routes:\n");
                yaml.Append("      - to: ").Append(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "\"::/0\"" : "\"0.0.0.0/0\"").Append('\n');
                yaml.Append("        via: ").Append(YamlScalar.Quote(CanonicalAddress(network.Gateway))).Append('\n');
            }
        }

        if (network.DnsServers.Count > 0)
        {
            yaml.Append("    nameservers:\n");
            yaml.Append("      addresses:\n");
            foreach (var server in network.DnsServers)
            {
                yaml.Append("        - ").Append(YamlScalar.Quote(CanonicalAddress(server))).Append('\n');
            }
        }

        return yaml.ToString();
    }

    private static string CanonicalAddress(string text) =>
        GuestNetwork.TryParseAddress(text, out var address) ? address.ToString() : throw new InvalidOperationException($"unvalidated address '{text}'");

    private static void ValidateInstanceId(string instanceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        if (instanceId.Length > MaxInstanceIdLength || instanceId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"An instance id is 1 to {MaxInstanceIdLength} characters without blanks or control characters.", nameof(instanceId));
        }
    }
}
