using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.CloudInit;

namespace Hyperion.Hypervisor.Tests.CloudInit;

public sealed class NoCloudSeedTests
{
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHr6dLw3mE4Cq1n0yq7c2kJt0Vh5Bz2nQy0j8m1pYfXk alice@laptop";
    private const string Rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob";

    [Fact]
    public void Render_HostnameOnly_MetaDataAndDefaultUserAndDhcp()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "web1" }, "vm-7-1");

        Assert.Equal("instance-id: \"vm-7-1\"\nlocal-hostname: \"web1\"\n", files.MetaData);
        Assert.Equal(
            """
            #cloud-config
            hostname: "web1"
            preserve_hostname: false
            manage_etc_hosts: true
            users:
              - default
            ssh_pwauth: false

            """.ReplaceLineEndings("\n"),
            files.UserData);
        Assert.Equal(
            """
            version: 2
            ethernets:
              id0:
                match:
                  name: "e*"
                dhcp4: true

            """.ReplaceLineEndings("\n"),
            files.NetworkConfig);
    }

    [Fact]
    public void Render_DottedHostname_ShortHostnameAndFqdn()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "db-2.prod.example.com" }, "i");

        Assert.Contains("\nhostname: \"db-2\"\nfqdn: \"db-2.prod.example.com\"\n", files.UserData, StringComparison.Ordinal);
        Assert.Contains("local-hostname: \"db-2.prod.example.com\"\n", files.MetaData, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UserWithPasswordAndKeys_UserEntrySudoShellPasswordKeysAndPasswordLogins()
    {
        var customization = new GuestCustomization { Hostname = "web1", User = "alice", Password = "s3cret!", SshAuthorizedKeys = [Ed25519, Rsa] };

        var files = NoCloudSeed.Render(customization, "vm-1-1");

        Assert.Equal(
            $"""
            #cloud-config
            hostname: "web1"
            preserve_hostname: false
            manage_etc_hosts: true
            users:
              - default
              - name: "alice"
                sudo: "ALL=(ALL) NOPASSWD:ALL"
                shell: /bin/bash
                lock_passwd: false
                plain_text_passwd: "s3cret!"
                ssh_authorized_keys:
                  - "{Ed25519}"
                  - "{Rsa}"
            ssh_pwauth: true

            """.ReplaceLineEndings("\n"),
            files.UserData);
    }

    [Fact]
    public void Render_UserWithoutPassword_LockedPasswordAndNoPasswordLogins()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", User = "ops", SshAuthorizedKeys = [Ed25519] }, "i");

        Assert.DoesNotContain("lock_passwd", files.UserData, StringComparison.Ordinal);
        Assert.DoesNotContain("plain_text_passwd", files.UserData, StringComparison.Ordinal);
        Assert.Contains("\n  - name: \"ops\"\n", files.UserData, StringComparison.Ordinal);
        Assert.EndsWith($"    ssh_authorized_keys:\n      - \"{Ed25519}\"\nssh_pwauth: false\n", files.UserData, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KeysWithoutUser_TopLevelKeysForTheDefaultUser()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", SshAuthorizedKeys = [Rsa] }, "i");

        Assert.EndsWith($"users:\n  - default\nssh_authorized_keys:\n  - \"{Rsa}\"\nssh_pwauth: false\n", files.UserData, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StaticIpv4_AddressDefaultRouteAndNameservers()
    {
        var network = GuestNetwork.Static("192.168.10.20/24", "192.168.10.1", ["192.168.10.53", "1.1.1.1"]);

        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", Network = network }, "i");

        Assert.Equal(
            """
            version: 2
            ethernets:
              id0:
                match:
                  name: "e*"
                dhcp4: false
                addresses:
                  - "192.168.10.20/24"
                routes:
                  - to: "0.0.0.0/0"
                    via: "192.168.10.1"
                nameservers:
                  addresses:
                    - "192.168.10.53"
                    - "1.1.1.1"

            """.ReplaceLineEndings("\n"),
            files.NetworkConfig);
    }

    [Fact]
    public void Render_StaticIpv6WithoutGateway_CanonicalAddressNoDhcpNoRoutes()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", Network = GuestNetwork.Static("2001:DB8:0:0::5/64") }, "i");

        Assert.Contains("    dhcp4: false\n    dhcp6: false\n    addresses:\n      - \"2001:db8::5/64\"\n", files.NetworkConfig, StringComparison.Ordinal);
        Assert.DoesNotContain("routes", files.NetworkConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StaticIpv6WithGateway_Ipv6DefaultRoute()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", Network = GuestNetwork.Static("2001:db8::5/64", "fe80::1") }, "i");

        Assert.Contains("    routes:\n      - to: \"::/0\"\n        via: \"fe80::1\"\n", files.NetworkConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MacAddress_MatchesByLowerCaseMacInsteadOfName()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", Network = new GuestNetwork { MacAddress = "52:54:00:AB:cd:01" } }, "i");

        Assert.Contains("    match:\n      macaddress: \"52:54:00:ab:cd:01\"\n    dhcp4: true\n", files.NetworkConfig, StringComparison.Ordinal);
        Assert.DoesNotContain("name:", files.NetworkConfig, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("52:54:00:12:34")]
    [InlineData("53:54:00:12:34:56")]
    [InlineData("52-54-00-12-34-56")]
    public void Validate_BadMacAddress_NamesIt(string mac)
    {
        var error = Assert.Single(new GuestCustomization { Hostname = "h", Network = new GuestNetwork { MacAddress = mac } }.Validate());

        Assert.Equal("customization.network.macAddress", error.Field);
    }

    [Fact]
    public void Render_DhcpWithDnsServers_DhcpAndNameservers()
    {
        var files = NoCloudSeed.Render(new GuestCustomization { Hostname = "h", Network = new GuestNetwork { DnsServers = ["9.9.9.9"] } }, "i");

        Assert.EndsWith("    dhcp4: true\n    nameservers:\n      addresses:\n        - \"9.9.9.9\"\n", files.NetworkConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_YamlInPasswordKeyCommentAndInstanceId_StaysInsideQuotedScalars()
    {
        const string password = "x\" \nssh_pwauth: true"; // rejected: line break
        Assert.Throws<DomainException>(() => NoCloudSeed.Render(new GuestCustomization { Hostname = "h", User = "u", Password = password }, "i"));

        const string sneakyPassword = "\"}, runcmd: [reboot] # \\";
        const string sneakyKey = Ed25519 + "\" ]\\ ssh_pwauth: true #";
        var files = NoCloudSeed.Render(
            new GuestCustomization { Hostname = "h", User = "u", Password = sneakyPassword, SshAuthorizedKeys = [sneakyKey] },
            "vm-1\":x");

        Assert.Equal("instance-id: \"vm-1\\\":x\"", files.MetaData.Split('\n')[0]);
        Assert.Contains("\n    plain_text_passwd: \"\\\"}, runcmd: [reboot] # \\\\\"\n", files.UserData, StringComparison.Ordinal);
        Assert.Contains("\n      - \"" + sneakyKey.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"\n", files.UserData, StringComparison.Ordinal);

        // The document's own keys, and nothing else, at the top level.
        var topLevel = files.UserData.Split('\n').Where(l => l.Length > 0 && l[0] is not (' ' or '#')).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]);
        Assert.Equal(["hostname", "preserve_hostname", "manage_etc_hosts", "users", "ssh_pwauth"], topLevel);
        Assert.Single(files.UserData.Split('\n'), l => l.StartsWith("ssh_pwauth:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "customization.hostname")]
    [InlineData("-web", "customization.hostname")]
    [InlineData("web-", "customization.hostname")]
    [InlineData("web_1", "customization.hostname")]
    [InlineData("web..example", "customization.hostname")]
    [InlineData("web.example.", "customization.hostname")]
    [InlineData("web 1", "customization.hostname")]
    [InlineData("web\"\nfqdn: evil", "customization.hostname")]
    [InlineData("10.0.0.1", "customization.hostname")]
    public void Render_InvalidHostname_CustomizationInvalidNamingHostname(string hostname, string field)
    {
        var error = Assert.Throws<DomainException>(() => NoCloudSeed.Render(new GuestCustomization { Hostname = hostname }, "i"));

        Assert.Equal(ErrorCodes.CustomizationInvalid, error.Code);
        var only = Assert.Single(error.Errors);
        Assert.Equal(field, only.Field);
        Assert.StartsWith(field, only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HostnameLengths_63PerLabelAnd253InAll()
    {
        var label63 = new string('a', 63);
        var name253 = string.Join('.', label63, label63, label63, new string('b', 61));

        Assert.Empty(new GuestCustomization { Hostname = label63 }.Validate());
        Assert.Empty(new GuestCustomization { Hostname = name253 }.Validate());
        Assert.Contains("longer than 63", Assert.Single(new GuestCustomization { Hostname = label63 + "a" }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("longer than 253", Assert.Single(new GuestCustomization { Hostname = name253 + "b" }.Validate()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("1alice")]
    [InlineData("al ice")]
    [InlineData("alice\"")]
    [InlineData("")]
    [InlineData("a23456789012345678901234567890123")]
    public void Validate_InvalidUser_NamesUser(string user)
    {
        var error = Assert.Single(new GuestCustomization { Hostname = "h", User = user }.Validate());

        Assert.Equal("customization.user", error.Field);
        Assert.Equal(ErrorCodes.CustomizationInvalid, error.Code);
    }

    [Theory]
    [InlineData("_svc")]
    [InlineData("a")]
    [InlineData("deploy-bot_2")]
    [InlineData("a2345678901234567890123456789012")]
    public void Validate_ValidUser_NoErrors(string user)
    {
        Assert.Empty(new GuestCustomization { Hostname = "h", User = user }.Validate());
    }

    [Theory]
    [InlineData("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= c")]
    [InlineData("sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t")]
    [InlineData(Rsa)]
    [InlineData(Ed25519)]
    public void Validate_SupportedKeyTypes_NoErrors(string key)
    {
        Assert.Empty(new GuestCustomization { Hostname = "h", SshAuthorizedKeys = [key] }.Validate());
    }

    [Theory]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP8= old", "does not start with an OpenSSH key type")]
    [InlineData("command=\"rm -rf /\" ssh-rsa AAAAB3NzaC1yc2E=", "does not start with an OpenSSH key type")]
    [InlineData("ssh-rsa", "no base64 key data")]
    [InlineData("ssh-rsa not*base64", "no base64 key data")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2E=\nssh-rsa AAAAB3NzaC1yc2E=", "not a single line")]
    [InlineData("  ", "is empty")]
    public void Validate_BadKey_NamesTheKeyByIndex(string key, string reason)
    {
        var error = Assert.Single(new GuestCustomization { Hostname = "h", SshAuthorizedKeys = [Ed25519, key] }.Validate());

        Assert.Equal("customization.sshAuthorizedKeys[1]", error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PasswordWithoutUserOrWithLineBreak_NamesPasswordNeverEchoesIt()
    {
        var withoutUser = Assert.Single(new GuestCustomization { Hostname = "h", Password = "pw" }.Validate());
        var lineBreak = Assert.Single(new GuestCustomization { Hostname = "h", User = "u", Password = "top\nsecret" }.Validate());

        Assert.Equal("customization.password", withoutUser.Field);
        Assert.Equal("customization.password", lineBreak.Field);
        Assert.DoesNotContain("secret", lineBreak.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5", null, "customization.network.address", "/prefix is missing")]
    [InlineData("10.0.0.5/33", null, "customization.network.address", "1 to 32")]
    [InlineData("10.0.0.5/0", null, "customization.network.address", "1 to 32")]
    [InlineData("10.1/8", null, "customization.network.address", "not an IP address")]
    [InlineData("fe80::1%eth0/64", null, "customization.network.address", "not an IP address")]
    [InlineData("web1/24", null, "customization.network.address", "not an IP address")]
    [InlineData("10.0.0.0/24", null, "customization.network.address", "network or broadcast")]
    [InlineData("10.0.0.255/24", null, "customization.network.address", "network or broadcast")]
    [InlineData("10.0.0.5/24", "10.0.1.1", "customization.network.gateway", "outside the subnet")]
    [InlineData("10.0.0.5/24", "2001:db8::1", "customization.network.gateway", "same address family")]
    [InlineData("10.0.0.5/24", "10.0.0.5", "customization.network.gateway", "own address")]
    [InlineData("10.0.0.5/24", "gateway", "customization.network.gateway", "not an IP address")]
    public void Validate_BadStaticNetwork_NamesTheField(string address, string? gateway, string field, string reason)
    {
        var error = Assert.Single(new GuestCustomization { Hostname = "h", Network = GuestNetwork.Static(address, gateway) }.Validate());

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GatewayWithDhcpAndBadDnsServer_NamesBoth()
    {
        var errors = new GuestCustomization { Hostname = "h", Network = new GuestNetwork { Gateway = "10.0.0.1", DnsServers = ["1.1.1.1", "dns.example"] } }.Validate();

        Assert.Equal(["customization.network.gateway", "customization.network.dnsServers[1]"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_Ipv6LinkLocalGatewayAndSlash32_Valid()
    {
        Assert.Empty(new GuestCustomization { Hostname = "h", Network = GuestNetwork.Static("2001:db8::5/64", "fe80::1") }.Validate());
        Assert.Empty(new GuestCustomization { Hostname = "h", Network = GuestNetwork.Static("203.0.113.7/32") }.Validate());
    }

    [Fact]
    public void ThrowIfInvalid_SeveralWrongFields_OneExceptionListingEach()
    {
        var customization = new GuestCustomization { Hostname = "bad_host", User = "Root", SshAuthorizedKeys = ["nope"], Network = GuestNetwork.Static("10.0.0.5") };

        var error = Assert.Throws<DomainException>(() => customization.ThrowIfInvalid());

        Assert.Equal(ErrorCodes.CustomizationInvalid, error.Code);
        Assert.Equal(
            ["customization.hostname", "customization.user", "customization.sshAuthorizedKeys[0]", "customization.network.address"],
            error.Errors.Select(e => e.Field));
    }

    [Fact]
    public void ToString_WithPassword_DoesNotShowIt()
    {
        var customization = new GuestCustomization { Hostname = "web1", User = "alice", Password = "hunter2-very-secret" };

        var text = customization.ToString();

        Assert.Contains("web1", text, StringComparison.Ordinal);
        Assert.Contains("Password = (set)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", NoCloudSeed.Render(customization, "i").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("vm 1")]
    [InlineData("vm-1\n")]
    public void Render_BadInstanceId_ArgumentException(string instanceId)
    {
        Assert.ThrowsAny<ArgumentException>(() => NoCloudSeed.Render(new GuestCustomization { Hostname = "h" }, instanceId));
    }
}
