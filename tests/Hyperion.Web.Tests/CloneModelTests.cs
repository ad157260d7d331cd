using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Actions;

namespace Hyperion.Web.Tests;

/// <summary>The Clone / Deploy from Template form's checks, its request and the mapping of refusals to its fields, without a browser.</summary>
public sealed class CloneModelTests
{
    private static readonly CenterDatastoreDto Shared = new("datastore-7", "shared", "datacenter-2", "dir", 10L << 30, 5L << 30, ["host-3", "host-4"]);
    private static readonly CenterDatastoreDto Local3 = new("datastore-6", "local (host-3)", "datacenter-2", "local", 10L << 30, 5L << 30, ["host-3"]);
    private static readonly CenterDatastoreDto Local4 = new("datastore-8", "local (host-4)", "datacenter-2", "local", 10L << 30, 5L << 30, ["host-4"]);

    private static CloneChoices Choices(bool template, CenterDatastoreDto source, bool mayCustomize = true, bool maintenance = false, bool mayCreateOn4 = true) =>
        new("vm-7", "golden", template, "poweredOff", "host-3", source, "group-5", "vm", true, mayCustomize,
        [
            new CloneHostChoice(new MigrateHostChoice("host-3", "10.0.0.3", 8443, "cl", HostConnectionState.Connected, maintenance), true, true),
            new CloneHostChoice(new MigrateHostChoice("host-4", "10.0.0.4", 8443, "cl", HostConnectionState.Connected, false), false, mayCreateOn4),
            new CloneHostChoice(new MigrateHostChoice("host-5", "10.0.0.5", 8443, null, HostConnectionState.NotResponding, false), false, true),
        ])
        {
            Datastores = [Shared, Local3, Local4],
        };

    [Fact]
    public void Defaults_CloneToTheSourcesHostAndDatastore_SendingNeitherExplicitly()
    {
        var choices = Choices(template: false, Shared);
        var model = new CloneModel(choices) { Name = "web-2" };
        Assert.Equal("host-3", model.HostId);
        Assert.Empty(model.Validate(choices, []));
        Assert.Equal(new CenterVmCloneRequest("web-2"), model.ToRequest(choices));
        Assert.Equal("10.0.0.3:8443 · host-3 · cluster cl (same host)", choices.Hosts[0].Label);
        Assert.Equal("10.0.0.5:8443 · host-5 · standalone (not responding)", choices.Hosts[2].Label);
        // The source's host writes the copy: only datastores it mounts, and for another host those both mount.
        Assert.Equal([Local3, Shared], choices.DatastoresFor("host-3"));
        Assert.Equal([Shared], choices.DatastoresFor("host-4"));
    }

    [Fact]
    public void Validate_RefusesTakenNamesUnusableHostsAndDatastoresTheTargetCannotReach()
    {
        var choices = Choices(template: false, Local3, maintenance: true, mayCreateOn4: false);
        var model = new CloneModel(choices) { Name = "web-1" };
        Assert.Equal([(CloneModel.NameField, "a VM named 'web-1' is already in folder vm")], model.Validate(choices, ["web-1"]));
        model.Name = "bad name";
        Assert.Contains("letters, digits", Assert.Single(model.Validate(choices, [])).Message, StringComparison.Ordinal);

        // The source's own host in maintenance mode still makes the copy; another one would not take it.
        model.Name = "web-2";
        Assert.Empty(model.Validate(choices, []));
        model.HostId = "host-4";
        Assert.Equal((CloneModel.HostField, $"you lack {Hyperion.Domain.Authorization.Privileges.VmCreateFromExisting} on 10.0.0.4:8443 (host-4): choose another host"), Assert.Single(model.Validate(choices, [])));
        model.HostId = "host-5";
        Assert.Equal("10.0.0.5:8443 (host-5) is not responding: choose another host", Assert.Single(model.Validate(choices, [])).Message);

        // A local VM cloned to another host: its datastore is not one both mount.
        choices = Choices(template: false, Local3);
        model = new CloneModel(choices) { Name = "web-2", HostId = "host-4" };
        Assert.Equal((CloneModel.DatastoreField, "a clone for 10.0.0.4:8443 (host-4) is made on a datastore both it and the source's host mount; local (host-3) is not one"), Assert.Single(model.Validate(choices, [])));
        model.Datastore = "shared";
        Assert.Empty(model.Validate(choices, []));
        Assert.Equal(new CenterVmCloneRequest("web-2") { Host = "host-4", Datastore = "shared" }, model.ToRequest(choices));
    }

    [Fact]
    public void LinkedClone_OfATemplateOrAVm_OnItsDatastore()
    {
        var vm = Choices(template: false, Shared);
        var model = new CloneModel(vm) { Name = "web-2", Linked = true };
        Assert.Empty(model.Validate(vm, []));
        Assert.True(model.ToRequest(vm).Linked);

        var template = Choices(template: true, Shared);
        model = new CloneModel(template) { Name = "web-2", Linked = true, PowerOn = true };
        Assert.Empty(model.Validate(template, []));
        model.Datastore = "local (host-3)";
        Assert.Equal((CloneModel.DatastoreField, "a linked clone lives on its parent's datastore shared: keep it, or make a full clone"), Assert.Single(model.Validate(template, [])));
        model.Datastore = null;
        model.HostId = "host-4";
        Assert.Equal(new CenterVmCloneRequest("web-2") { Host = "host-4", Linked = true, PowerOn = true }, model.ToRequest(template));
    }

    [Fact]
    public void Customization_IsCheckedWithTheDomainsRules_OnItsFields_AndSentOnlyWhenAsked()
    {
        var choices = Choices(template: true, Shared);
        var model = new CloneModel(choices) { Name = "web-2", Hostname = "ignored" };
        Assert.Null(model.ToRequest(choices).Customization);

        model.Customize = true;
        model.Hostname = "web_2";
        model.Password = "secret";
        model.SshKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0= ops@lab\n\nnot-a-key";
        model.StaticAddress = true;
        var errors = model.Validate(choices, []).ToDictionary(e => e.Field, e => e.Message);
        Assert.Contains("RFC 1123", errors[CloneModel.HostnameField], StringComparison.Ordinal);
        Assert.Contains("needs customization.user", errors[CloneModel.PasswordField], StringComparison.Ordinal);
        Assert.Contains("sshAuthorizedKeys[1]", errors[CloneModel.SshKeysField], StringComparison.Ordinal);
        Assert.Equal("enter the static address in CIDR form (like 192.0.2.10/24), or choose DHCP", errors[CloneModel.AddressField]);

        model.Hostname = "web-2.lab.test";
        model.User = "ops";
        model.SshKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0= ops@lab";
        model.Address = "192.0.2.10/24";
        model.Gateway = "192.0.2.1";
        model.DnsServers = "192.0.2.53, 9.9.9.9";
        Assert.Empty(model.Validate(choices, []));
        var customization = model.ToRequest(choices).Customization!;
        Assert.Equal(("web-2.lab.test", "ops", "secret"), (customization.Hostname, customization.User, customization.Password));
        Assert.Equal(["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0= ops@lab"], customization.SshAuthorizedKeys!);
        Assert.Equal(("192.0.2.10/24", "192.0.2.1"), (customization.Network!.Address, customization.Network.Gateway));
        Assert.Equal(["192.0.2.53", "9.9.9.9"], customization.Network.DnsServers!);

        // DHCP: a gateway typed before switching is not sent; with no DNS servers there is no network section at all.
        model.StaticAddress = false;
        model.DnsServers = "";
        Assert.Empty(model.Validate(choices, []));
        Assert.Null(model.ToRequest(choices).Customization!.Network);

        var denied = Choices(template: true, Shared, mayCustomize: false);
        var refused = new CloneModel(denied) { Name = "web-2", Customize = true, Hostname = "web-2" };
        Assert.Equal((CloneModel.CustomizationField, "you lack VirtualMachine.Provisioning.Customize on golden"), Assert.Single(refused.Validate(denied, [])));
    }

    [Fact]
    public void Refusals_OfTheCenterAndOfTheTask_GoToTheirFields()
    {
        Assert.Equal(CloneModel.NameField, CloneModel.FieldOf(new DomainError(ErrorCodes.VmDuplicateName, "a VM named 'x' is already in folder group-5", "name")));
        Assert.Equal(CloneModel.HostField, CloneModel.FieldOf(new DomainError(ErrorCodes.HostInMaintenance, "host 10.0.0.4 is in maintenance mode")));
        Assert.Equal(CloneModel.DatastoreField, CloneModel.FieldOf(new DomainError(ErrorCodes.DatastoreNotFound, "not mounted by both", "datastore")));
        Assert.Equal(CloneModel.SshKeysField, CloneModel.FieldOf(new DomainError(ErrorCodes.CustomizationInvalid, "bad key", "customization.sshAuthorizedKeys[3]")));
        Assert.Equal(CloneModel.DnsField, CloneModel.NormalizeField("customization.network.dnsServers[0]"));
        Assert.Equal(CloneModel.CustomizationField, CloneModel.NormalizeField("customization.network"));
        Assert.Null(CloneModel.NormalizeField("spec.name"));
        Assert.Null(CloneModel.FieldOf(new DomainError(ErrorCodes.Forbidden, "you lack VirtualMachine.Provisioning.Clone")));

        // The task keeps only code and message; the host's customization messages start with their field.
        Assert.Equal(CloneModel.HostnameField, CloneModel.FieldOfTaskError(ErrorCodes.CustomizationInvalid, "customization.hostname 'a_b' may only contain letters, digits, '-' and '.' (RFC 1123)"));
        Assert.Equal(CloneModel.DatastoreField, CloneModel.FieldOfTaskError(ErrorCodes.DatastoreNoSpace, "datastore 'shared' has 3 MiB free"));
        Assert.Equal(CloneModel.DatastoreField, CloneModel.FieldOfTaskError(ErrorCodes.InvalidArgument, "a linked clone lives on its parent's datastore 'shared', not 'local'"));
        Assert.Equal(CloneModel.LinkedField, CloneModel.FieldOfTaskError(ErrorCodes.VmInvalidState, "VM 'web' has 2 snapshot(s): a linked clone freezes its disks under a new delta disk, where those snapshots could no longer be reverted"));
        Assert.Null(CloneModel.FieldOfTaskError(ErrorCodes.HypervisorError, "qemu-img failed"));
    }
}
