using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Hyperion.Web.Actions;

namespace Hyperion.Web.Tests;

/// <summary>The action toolbar's rules and the wizard's checks, without a browser.</summary>
public sealed class ActionRulesTests
{
    /// <summary>Every privilege (an administrator's), and the Read-only role's (shared with the other rule tests).</summary>
    internal static readonly HashSet<string> All = [.. Privileges.All];
    internal static readonly HashSet<string> ReadOnly = [Privileges.SystemView, Privileges.SystemRead, Privileges.SystemAnonymous];

    private static ActionTarget Vm(VmPowerState state, IReadOnlySet<string> privileges, HostConnectionState host = HostConnectionState.Connected, bool maintenance = false) =>
        new("vm-7", InventoryObjectKind.Vm, "web-1", privileges)
        {
            PowerState = state,
            HostName = "esx-1",
            HostConnection = host,
            HostInMaintenance = maintenance,
            DatacenterId = "datacenter-2",
        };

    private static ActionAvailability Find(ActionTarget target, ObjectAction action) => ActionRules.For(target).Single(a => a.Action == action);

    [Fact]
    public void PoweredOnVm_OffersPowerOffResetSuspendShutdown_NotPowerOnEditDelete()
    {
        var vm = Vm(VmPowerState.PoweredOn, All);
        Assert.Equal(
            [ObjectAction.PowerOn, ObjectAction.PowerOff, ObjectAction.Reset, ObjectAction.Suspend, ObjectAction.Resume, ObjectAction.Shutdown, ObjectAction.Migrate,
             ObjectAction.Clone, ObjectAction.TakeSnapshot, ObjectAction.ManageSnapshots, ObjectAction.MarkAsTemplate, ObjectAction.ExportOvf, ObjectAction.EditSettings, ObjectAction.EditVmHa, ObjectAction.DeleteVm],
            ActionRules.For(vm).Select(a => a.Action));
        Assert.True(Find(vm, ObjectAction.PowerOff).Enabled);
        Assert.True(Find(vm, ObjectAction.Reset).Enabled);
        Assert.True(Find(vm, ObjectAction.Shutdown).Enabled);
        Assert.Equal("web-1 is already powered on", Find(vm, ObjectAction.PowerOn).Reason);
        Assert.Equal("web-1 is powered on: power it off to delete it", Find(vm, ObjectAction.DeleteVm).Reason);
        Assert.False(Find(vm, ObjectAction.EditSettings).Enabled);
    }

    [Fact]
    public void SuspendedVm_ResumesOrPowersOff_ButCannotShutDown()
    {
        var vm = Vm(VmPowerState.Suspended, All);
        Assert.True(Find(vm, ObjectAction.Resume).Enabled);
        Assert.True(Find(vm, ObjectAction.PowerOff).Enabled);
        Assert.Contains("resume it first", Find(vm, ObjectAction.Shutdown).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyUser_SeesEveryVmActionDisabled_WithThePrivilegeItLacks()
    {
        var vm = Vm(VmPowerState.PoweredOn, ReadOnly);
        Assert.All(ActionRules.For(vm), a => Assert.False(a.Enabled));
        Assert.Equal("You lack VirtualMachine.Interact.PowerOff on web-1", Find(vm, ObjectAction.PowerOff).Reason);
        Assert.Equal("action-power-off", Find(vm, ObjectAction.PowerOff).ElementId);
    }

    [Fact]
    public void VmOnHostInMaintenance_CannotPowerOn_ButCanBeDeleted()
    {
        var vm = Vm(VmPowerState.PoweredOff, All, maintenance: true);
        Assert.Equal("its host esx-1 is in maintenance mode", Find(vm, ObjectAction.PowerOn).Reason);
        Assert.True(Find(vm, ObjectAction.DeleteVm).Enabled);
        var disconnected = Vm(VmPowerState.PoweredOff, All, HostConnectionState.Disconnected);
        Assert.Equal("its host esx-1 is disconnected: reconnect it first", Find(disconnected, ObjectAction.PowerOn).Reason);
    }

    [Fact]
    public void Migrate_NeedsHotMigrateAndAConnectedHost_NotAPowerStateOrAHostOutOfMaintenance()
    {
        Assert.True(Find(Vm(VmPowerState.PoweredOn, All), ObjectAction.Migrate).Enabled);
        Assert.True(Find(Vm(VmPowerState.PoweredOff, All), ObjectAction.Migrate).Enabled);
        Assert.True(Find(Vm(VmPowerState.PoweredOn, All, maintenance: true), ObjectAction.Migrate).Enabled);
        Assert.Equal("action-migrate", Find(Vm(VmPowerState.PoweredOn, All), ObjectAction.Migrate).ElementId);
        Assert.Equal("You lack Resource.HotMigrate on web-1", Find(Vm(VmPowerState.PoweredOn, ReadOnly), ObjectAction.Migrate).Reason);
        Assert.Equal(Privileges.VmMigrate, ActionRules.Privilege(ObjectAction.Migrate));
        Assert.Equal("its host esx-1 is not responding: reconnect it first",
            Find(Vm(VmPowerState.PoweredOn, All, HostConnectionState.NotResponding), ObjectAction.Migrate).Reason);
        var nowhere = Vm(VmPowerState.PoweredOff, All) with { HostConnection = null };
        Assert.Equal("web-1 is not registered on any host", Find(nowhere, ObjectAction.Migrate).Reason);
    }

    [Fact]
    public void MigrateModel_WantsAUsableHostThatReachesTheFiles_AndMapsTheCentersRefusalsToFields()
    {
        var shared = new Hyperion.Contracts.Center.CenterDatastoreDto("datastore-7", "shared", "datacenter-2", "dir", 10, 5, ["host-3", "host-4"]);
        var local3 = new Hyperion.Contracts.Center.CenterDatastoreDto("datastore-6", "local (host-3)", "datacenter-2", "local", 10, 5, ["host-3"]);
        var local5 = new Hyperion.Contracts.Center.CenterDatastoreDto("datastore-8", "local (host-5)", "datacenter-2", "local", 10, 5, ["host-5"]);
        var choices = new MigrateChoices("vm-7", "web-1", "poweredOn", "host-3", "10.0.0.3:8443", shared, "dc",
        [
            new MigrateHostChoice("host-4", "10.0.0.4", 8443, "cl", HostConnectionState.Connected, false),
            new MigrateHostChoice("host-5", "10.0.0.5", 8443, null, HostConnectionState.Connected, false),
            new MigrateHostChoice("host-6", "10.0.0.6", 8443, "cl", HostConnectionState.Connected, true),
        ],
        [shared, local3, local5]);

        var model = new MigrateModel();
        Assert.Equal(MigrateModel.HighPriority, model.Priority);
        Assert.Equal([(MigrateModel.HostField, "choose the host to move the VM to")], model.Validate(choices));

        model.HostId = "host-6";
        Assert.Equal("10.0.0.6:8443 · host-6 · cluster cl (maintenance)", choices.Host("host-6")!.Label);
        Assert.Contains("in maintenance mode", Assert.Single(model.Validate(choices)).Message, StringComparison.Ordinal);

        // host-5 does not mount 'shared': the files cannot stay where they are, one of its datastores must be chosen.
        model.HostId = "host-5";
        var (field, message) = Assert.Single(model.Validate(choices));
        Assert.Equal((MigrateModel.DatastoreField, "the VM's files are on shared, which 10.0.0.5 (host-5) does not mount: choose one of its datastores"), (field, message));
        Assert.Equal([local5], choices.DatastoresOf("host-5"));
        model.Datastore = "local (host-3)";
        Assert.Equal("10.0.0.5 (host-5) does not mount local (host-3)", Assert.Single(model.Validate(choices)).Message);
        model.Datastore = "local (host-5)";
        Assert.Empty(model.Validate(choices));

        model.HostId = "host-4";
        model.Datastore = null;
        model.Priority = MigrateModel.NormalPriority;
        Assert.Empty(model.Validate(choices));
        Assert.Equal(new Hyperion.Contracts.Center.VmMigrateRequest("host-4", null, "normal"), model.ToRequest());

        // Storage vMotion: the VM stays on host-3, its files go to another datastore host-3 mounts.
        model.HostId = MigrateModel.CurrentHost;
        Assert.Equal([(MigrateModel.DatastoreField, "choose the datastore to move the VM's files to")], model.Validate(choices));
        model.Datastore = "shared";
        Assert.Equal("the VM's files are already on shared", Assert.Single(model.Validate(choices)).Message);
        model.Datastore = "local (host-5)";
        Assert.Equal("10.0.0.3:8443 (host-3) does not mount local (host-5)", Assert.Single(model.Validate(choices)).Message);
        model.Datastore = "local (host-3)";
        Assert.Empty(model.Validate(choices));
        Assert.Equal(new Hyperion.Contracts.Center.VmMigrateRequest(null, "local (host-3)", "normal"), model.ToRequest());

        Assert.Equal(MigrateModel.HostField, MigrateModel.FieldOf(new DomainError(ErrorCodes.HostInMaintenance, "host 10.0.0.4 is in maintenance mode")));
        Assert.Equal(MigrateModel.HostField, MigrateModel.FieldOf(new DomainError(ErrorCodes.MigrationSameHost, "already there")));
        Assert.Equal(MigrateModel.DatastoreField, MigrateModel.FieldOf(new DomainError(ErrorCodes.InvalidArgument, "bad", "datastore")));
        Assert.Null(MigrateModel.FieldOf(new DomainError(ErrorCodes.VmInvalidState, "the VM is suspended")));
    }

    [Fact]
    public void PoweredOffVm_OffersCloneSnapshotsAndMarkAsTemplate_InToolbarOrder()
    {
        var vm = Vm(VmPowerState.PoweredOff, All);
        Assert.Equal(
            [ObjectAction.PowerOn, ObjectAction.PowerOff, ObjectAction.Reset, ObjectAction.Suspend, ObjectAction.Resume, ObjectAction.Shutdown, ObjectAction.Migrate,
             ObjectAction.Clone, ObjectAction.TakeSnapshot, ObjectAction.ManageSnapshots, ObjectAction.MarkAsTemplate, ObjectAction.ExportOvf, ObjectAction.EditSettings, ObjectAction.EditVmHa, ObjectAction.DeleteVm],
            ActionRules.For(vm).Select(a => a.Action));
        Assert.All([ObjectAction.Clone, ObjectAction.TakeSnapshot, ObjectAction.ManageSnapshots, ObjectAction.MarkAsTemplate], a => Assert.True(Find(vm, a).Enabled, a.ToString()));
        Assert.Equal(("action-clone", "Clone…", "Clone"), (Find(vm, ObjectAction.Clone).ElementId, Find(vm, ObjectAction.Clone).Label, ActionNames.Title(ObjectAction.Clone)));
        Assert.Equal("action-take-snapshot", Find(vm, ObjectAction.TakeSnapshot).ElementId);
        Assert.Equal("action-mark-template", Find(vm, ObjectAction.MarkAsTemplate).ElementId);
    }

    [Fact]
    public void RunningVm_IsClonedAndSnapshotted_ButMarkedAsTemplateOnlyPoweredOff()
    {
        var vm = Vm(VmPowerState.PoweredOn, All);
        Assert.True(Find(vm, ObjectAction.Clone).Enabled);
        Assert.True(Find(vm, ObjectAction.TakeSnapshot).Enabled);
        Assert.True(Find(vm, ObjectAction.ManageSnapshots).Enabled);
        Assert.Equal("web-1 is powered on: power it off to mark it as a template", Find(vm, ObjectAction.MarkAsTemplate).Reason);
        Assert.Equal("web-1 is suspended: power it off to mark it as a template", Find(Vm(VmPowerState.Suspended, All), ObjectAction.MarkAsTemplate).Reason);
        // The source's host makes the copy and keeps the snapshots: it must answer.
        var disconnected = Vm(VmPowerState.PoweredOff, All, HostConnectionState.Disconnected);
        Assert.Equal("its host esx-1 is disconnected: reconnect it first", Find(disconnected, ObjectAction.Clone).Reason);
        Assert.Equal("its host esx-1 is disconnected: reconnect it first", Find(disconnected, ObjectAction.TakeSnapshot).Reason);
        Assert.True(Find(Vm(VmPowerState.PoweredOn, All, maintenance: true), ObjectAction.TakeSnapshot).Enabled);
    }

    [Fact]
    public void SnapshotAndProvisioningActions_NameThePrivilegeTheUserLacks()
    {
        var viewer = Vm(VmPowerState.PoweredOn, ReadOnly);
        Assert.Equal("You lack VirtualMachine.Provisioning.Clone on web-1", Find(viewer, ObjectAction.Clone).Reason);
        Assert.Equal("You lack VirtualMachine.State.CreateSnapshot on web-1", Find(viewer, ObjectAction.TakeSnapshot).Reason);
        Assert.Equal("You lack VirtualMachine.State.RevertToSnapshot and VirtualMachine.State.RemoveSnapshot on web-1", Find(viewer, ObjectAction.ManageSnapshots).Reason);
        Assert.Equal("You lack VirtualMachine.Provisioning.MarkAsTemplate on web-1", Find(Vm(VmPowerState.PoweredOff, ReadOnly), ObjectAction.MarkAsTemplate).Reason);

        // Either snapshot privilege opens the manager (each button then says what it lacks).
        HashSet<string> removeOnly = [.. ReadOnly, Privileges.VmSnapshotRemove];
        Assert.True(Find(Vm(VmPowerState.PoweredOn, removeOnly), ObjectAction.ManageSnapshots).Enabled);
        Assert.False(Find(Vm(VmPowerState.PoweredOn, removeOnly), ObjectAction.TakeSnapshot).Enabled);
        Assert.Equal(Privileges.VmSnapshotCreate, ActionRules.Privilege(ObjectAction.TakeSnapshot));
        Assert.Equal(Privileges.VmDeployTemplate, ActionRules.Privilege(ObjectAction.DeployFromTemplate));
        Assert.Equal(Privileges.VmMarkAsVm, ActionRules.Privilege(ObjectAction.ConvertToVm));
    }

    [Fact]
    public void ExportOvf_NeedsVAppExportAndAPoweredOffVm_AndLinksToTheApisExport()
    {
        Assert.True(Find(Vm(VmPowerState.PoweredOff, All), ObjectAction.ExportOvf).Enabled);
        Assert.True(Find(Vm(VmPowerState.PoweredOff, All) with { IsTemplate = true }, ObjectAction.ExportOvf).Enabled);
        Assert.Equal("web-1 is powered on: power it off to export it", Find(Vm(VmPowerState.PoweredOn, All), ObjectAction.ExportOvf).Reason);
        Assert.Equal("web-1 is suspended: power it off to export it", Find(Vm(VmPowerState.Suspended, All), ObjectAction.ExportOvf).Reason);
        Assert.Equal("You lack VApp.Export on web-1", Find(Vm(VmPowerState.PoweredOff, ReadOnly), ObjectAction.ExportOvf).Reason);
        Assert.Equal("its host esx-1 is disconnected: reconnect it first", Find(Vm(VmPowerState.PoweredOff, All, HostConnectionState.Disconnected), ObjectAction.ExportOvf).Reason);
        Assert.Equal(Privileges.VmExport, ActionRules.Privilege(ObjectAction.ExportOvf));
        Assert.Equal(("action-export-ovf", "Export OVF Template…"), (ActionNames.ElementId(ObjectAction.ExportOvf), ActionNames.Label(ObjectAction.ExportOvf)));
        Assert.Equal("/api/vms/vm-7/export", ActionNames.ExportHref("vm-7"));
    }

    [Fact]
    public void Template_DeploysConvertsAndDeletes_NeverPowersOnSnapshotsOrChanges()
    {
        var template = Vm(VmPowerState.PoweredOff, All) with { IsTemplate = true };
        var actions = ActionRules.For(template);
        Assert.Equal(
            [ObjectAction.PowerOn, ObjectAction.PowerOff, ObjectAction.Reset, ObjectAction.Suspend, ObjectAction.Resume, ObjectAction.Shutdown, ObjectAction.Migrate,
             ObjectAction.DeployFromTemplate, ObjectAction.TakeSnapshot, ObjectAction.ManageSnapshots, ObjectAction.ConvertToVm, ObjectAction.ExportOvf, ObjectAction.EditSettings, ObjectAction.EditVmHa, ObjectAction.DeleteVm],
            actions.Select(a => a.Action));
        Assert.Equal("a template is never powered on", Find(template, ObjectAction.PowerOn).Reason);
        Assert.All(actions.Where(a => ActionNames.PowerVerb(a.Action) is not null), a => Assert.Equal(ActionRules.TemplateNeverPoweredOn, a.Reason));
        Assert.Equal(ActionRules.TemplateNeverSnapshotted, Find(template, ObjectAction.TakeSnapshot).Reason);
        Assert.Equal(ActionRules.TemplateNeverSnapshotted, Find(template, ObjectAction.ManageSnapshots).Reason);
        Assert.Contains("convert it to a virtual machine", Find(template, ObjectAction.EditSettings).Reason, StringComparison.Ordinal);
        Assert.True(Find(template, ObjectAction.DeployFromTemplate).Enabled);
        Assert.Equal(("action-deploy", "Deploy from Template…"), (Find(template, ObjectAction.DeployFromTemplate).ElementId, Find(template, ObjectAction.DeployFromTemplate).Label));
        Assert.True(Find(template, ObjectAction.ConvertToVm).Enabled);
        Assert.True(Find(template, ObjectAction.DeleteVm).Enabled);

        // Even for someone who may power VMs on, and whatever the privileges: the template is why.
        var viewer = template with { Privileges = ReadOnly };
        Assert.Equal(ActionRules.TemplateNeverPoweredOn, Find(viewer, ObjectAction.PowerOn).Reason);
        Assert.Equal("You lack VirtualMachine.Provisioning.DeployTemplate on web-1", Find(viewer, ObjectAction.DeployFromTemplate).Reason);
        Assert.Equal("You lack VirtualMachine.Provisioning.MarkAsVM on web-1", Find(viewer, ObjectAction.ConvertToVm).Reason);
    }

    [Fact]
    public void TemplatePage_DisablesConsoleAndSerialTabs_WithTheReason()
    {
        var template = Hyperion.Web.Components.Inventory.ObjectTabs.For(new Hyperion.Web.Inventory.ObjectHeader("vm-7", InventoryObjectKind.Vm, "golden", Hyperion.Web.Inventory.InventoryBrowser.TemplateState));
        Assert.Equal(
            [("summary", null), ("monitor", null), ("console", ActionRules.TemplateNeverPoweredOn), ("serial", ActionRules.TemplateNeverPoweredOn), ("tasks", null), ("permissions", null)],
            template.Select(t => (t.Key, t.DisabledReason)));
        var vm = Hyperion.Web.Components.Inventory.ObjectTabs.For(new Hyperion.Web.Inventory.ObjectHeader("vm-8", InventoryObjectKind.Vm, "web-1", "poweredOff"));
        Assert.All(vm, t => Assert.Null(t.DisabledReason));
        Assert.Equal("VM Template", Hyperion.Web.Components.Inventory.InventoryDisplay.KindName(InventoryObjectKind.Vm, Hyperion.Web.Inventory.InventoryBrowser.TemplateState));
        Assert.NotEqual(
            Hyperion.Web.Components.Inventory.InventoryDisplay.Icon(Hyperion.Web.Inventory.InventoryNodeKind.Vm, "poweredOff"),
            Hyperion.Web.Components.Inventory.InventoryDisplay.Icon(Hyperion.Web.Inventory.InventoryNodeKind.Vm, Hyperion.Web.Inventory.InventoryBrowser.TemplateState));
    }

    [Fact]
    public void Host_MaintenanceAndConnectionActions_FollowItsState()
    {
        var host = new ActionTarget("host-3", InventoryObjectKind.Host, "esx-1", All) { HostConnection = HostConnectionState.Connected, HostInMaintenance = true, DatacenterId = "datacenter-2" };
        Assert.False(Find(host, ObjectAction.EnterMaintenance).Enabled);
        Assert.True(Find(host, ObjectAction.ExitMaintenance).Enabled);
        Assert.True(Find(host, ObjectAction.Disconnect).Enabled);
        Assert.Equal("esx-1 is already connected", Find(host, ObjectAction.Reconnect).Reason);
        Assert.Contains("maintenance", Find(host, ObjectAction.NewVm).Reason, StringComparison.Ordinal);
        Assert.True(Find(host, ObjectAction.RemoveHost).Enabled);
    }

    [Fact]
    public void ContainersOfferOnlyWhatTheApiCreatesThere()
    {
        Assert.Equal([ObjectAction.NewVm, ObjectAction.AddHost, ObjectAction.EditClusterHa], ActionRules.For(new ActionTarget("domain-c4", InventoryObjectKind.Cluster, "cl", All) { DatacenterId = "datacenter-2" }).Select(a => a.Action));
        var datacenter = new ActionTarget("datacenter-2", InventoryObjectKind.Datacenter, "dc", ReadOnly) { DatacenterId = "datacenter-2", VmFolderPrivileges = All, HostFolderPrivileges = ReadOnly };
        var actions = ActionRules.For(datacenter);
        Assert.Equal([ObjectAction.NewVm, ObjectAction.AddHost, ObjectAction.NewCluster, ObjectAction.NewFolder], actions.Select(a => a.Action));
        Assert.True(actions[0].Enabled);
        Assert.Equal("You lack Host.Inventory.AddStandaloneHost on dc", actions[1].Reason);
        var root = new ActionTarget(InventoryId.RootFolder.Value, InventoryObjectKind.Folder, "Datacenters", All) { FolderKind = FolderKind.Datacenter };
        Assert.Equal([ObjectAction.NewDatacenter, ObjectAction.NewFolder], ActionRules.For(root).Select(a => a.Action));
        var vmFolder = new ActionTarget("group-9", InventoryObjectKind.Folder, "web", All) { FolderKind = FolderKind.Vm, DatacenterId = "datacenter-2" };
        Assert.Equal([ObjectAction.NewVm, ObjectAction.NewFolder], ActionRules.For(vmFolder).Select(a => a.Action));
        Assert.Empty(ActionRules.For(new ActionTarget("datastore-5", InventoryObjectKind.Datastore, "ds", All)));
    }

    [Fact]
    public void Wizard_RefusesImpossibleSizes_AndDuplicateNames_AsTheApiWould()
    {
        var model = new NewVmModel { Name = "web-1", FolderId = "group-5", Cpus = 0, MemoryMiB = 0 };
        var capacity = new HostCapacity(4, 8192);
        model.Compute = new ComputeChoice("domain-c4", "cl", true, ["host-3"], capacity);
        var names = model.Validate(NewVmStep.NameAndFolder, ["web-1"], "vm");
        Assert.Equal("a VM named 'web-1' is already in folder vm", names[NewVmModel.NameField]);
        var sizes = model.Validate(NewVmStep.Hardware, [], "vm");
        Assert.Contains("at least 1 vCPU", sizes[NewVmModel.CpusField], StringComparison.Ordinal);
        Assert.Contains("at least 16 MiB", sizes[NewVmModel.MemoryField], StringComparison.Ordinal);
        model.Cpus = 5;
        model.MemoryMiB = 9000;
        sizes = model.Validate(NewVmStep.Hardware, [], "vm");
        Assert.Contains("4 logical CPUs", sizes[NewVmModel.CpusField], StringComparison.Ordinal);
        Assert.Contains("8192 MiB", sizes[NewVmModel.MemoryField], StringComparison.Ordinal);
        model.Disks.Add(new DiskRow { SizeGiB = 0 });
        Assert.Contains("at least 1 GiB", model.Validate(NewVmStep.DisksAndNetworks, [], "vm")[NewVmModel.DiskField(0)], StringComparison.Ordinal);
        Assert.Contains("datastore", model.Validate(NewVmStep.Storage, [], "vm")[NewVmModel.DatastoreField], StringComparison.Ordinal);
        Assert.Contains("letters, digits", new NewVmModel { Name = "bad name", FolderId = "group-5" }.Validate(NewVmStep.NameAndFolder, [], "vm")[NewVmModel.NameField], StringComparison.Ordinal);
    }

    [Fact]
    public void Wizard_BuildsTheApiRequest_AndMapsApiErrorFieldsBackToItsFields()
    {
        var model = new NewVmModel { Name = "db-1", FolderId = "group-5", Cpus = 2, MemoryMiB = 256, Datastore = "local (host-3)" };
        model.Compute = new ComputeChoice("domain-c4", "cl", true, ["host-3"], null);
        model.Disks.Add(new DiskRow { SizeGiB = 20 });
        model.Nics.Add(new NicRow { Network = "br0" });
        var request = model.ToRequest();
        Assert.Equal("domain-c4", request.Cluster);
        Assert.Null(request.Host);
        Assert.Equal("tiny", request.Spec!.Image);
        Assert.Equal("20G", Assert.Single(request.Spec.Disks).Size);
        Assert.Equal("br0", Assert.Single(request.Spec.Nics).Network);
        Assert.False(request.Spec.GuestAgent);
        model.GuestAgent = true;
        Assert.True(model.ToRequest().Spec!.GuestAgent);

        // Only its host can use a host's local datastore: the VM is placed there (the Center maps the name to the host's).
        var local = new Hyperion.Contracts.Center.CenterDatastoreDto("datastore-6", "local (host-3)", "datacenter-2", "local", 10, 5, ["host-3"]);
        var pinned = model.ToRequest(local);
        Assert.Equal(("host-3", (string?)null, "local (host-3)"), (pinned.Host, pinned.Cluster, pinned.Spec!.Datastore));
        var shared = new Hyperion.Contracts.Center.CenterDatastoreDto("datastore-7", "nfs-1", "datacenter-2", "nfs", 10, 5, ["host-3", "host-4"]);
        Assert.Equal(("domain-c4", "nfs-1"), (model.ToRequest(shared).Cluster, model.ToRequest(shared).Spec!.Datastore));

        Assert.Equal(NewVmModel.NameField, NewVmModel.FieldOfApiError("spec.name"));
        Assert.Equal(NewVmModel.MemoryField, NewVmModel.FieldOfApiError("memoryMiB"));
        Assert.Equal(NewVmModel.ComputeField, NewVmModel.FieldOfApiError("cluster"));
        Assert.Equal(NewVmModel.DiskField(1), NewVmModel.FieldOfApiError("disks[1].size"));
        Assert.Null(NewVmModel.FieldOfApiError("spec"));
        Assert.Equal(NewVmStep.DisksAndNetworks, NewVmModel.StepOf(NewVmModel.DiskField(1)));
        Assert.Equal("name", NewVmModel.FieldOfTaskError(ErrorCodes.VmDuplicateName));
    }

    [Fact]
    public void EditSettings_SendsOnlyWhatChanged_NumberingNewDisksAfterExistingOnes()
    {
        var current = new VmDto
        {
            Id = "vm-1", Name = "web-1", Uuid = Guid.NewGuid().ToString(), PowerState = "poweredOff", Cpus = 1, MemoryMiB = 128,
            Disks = [new VmDiskDto("web-1-0.qcow2", VmHardwareRules.GiB, "qcow2")], Nics = [],
            Boot = new VmBootDto("kernel", "tiny", null, null, null, null), Datastore = "local", Folder = "web-1",
        };
        var model = new EditSettingsModel(current);
        Assert.Null(model.ToRequest());
        model.MemoryMiB = 256;
        model.AddDisks.Add(new DiskRow { SizeGiB = 0 });
        Assert.Contains("disk 2", model.Validate(new HostCapacity(2, 4096))[NewVmModel.DiskField(1)], StringComparison.Ordinal);
        model.AddDisks[0].SizeGiB = 2;
        Assert.Empty(model.Validate(new HostCapacity(2, 4096)));
        var request = model.ToRequest()!;
        Assert.Null(request.Cpus);
        Assert.Equal(256, request.MemoryMiB);
        Assert.Equal("2G", Assert.Single(request.AddDisks!).Size);
        Assert.Null(request.GuestAgent);

        // The guest agent channel: sent only when switched.
        var agent = new EditSettingsModel(current) { GuestAgent = true };
        Assert.Equal(new VmReconfigureRequest { GuestAgent = true }, agent.ToRequest());
        Assert.Null(new EditSettingsModel(current with { GuestAgent = true }).ToRequest());
        Assert.False(new EditSettingsModel(current with { GuestAgent = true }) { GuestAgent = false }.ToRequest()!.GuestAgent);
    }

    [Fact]
    public void AddHost_ReadsTheFingerprintFromTheCentersRefusal_AndNewObjectNamesAreChecked()
    {
        var fingerprint = string.Join(':', Enumerable.Repeat("AB", 32));
        var refusal = new DomainException(new DomainError(ErrorCodes.HostFingerprintUnconfirmed,
            $"confirm the certificate of https://h:8443: its SHA-256 fingerprint is {fingerprint}; add the host again with this fingerprint if it is the host you expect", "fingerprint"));
        Assert.Equal(fingerprint, HostFingerprintPrompt.PresentedFingerprint(refusal));
        Assert.Null(HostFingerprintPrompt.PresentedFingerprint(new DomainException(ErrorCodes.HostUnreachable, "cannot connect")));

        Assert.Equal("a cluster named 'cl' already exists", InventoryNameRules.Check("cl", "cluster", ["cl"]));
        Assert.NotNull(InventoryNameRules.Check("a/b", "folder", []));
        Assert.Null(InventoryNameRules.Check("web", "folder", ["db"]));
    }
}
