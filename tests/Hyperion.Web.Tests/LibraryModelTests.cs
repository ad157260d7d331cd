using System.Text.Json;
using Hyperion.Center.Security;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Library;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Library;

namespace Hyperion.Web.Tests;

/// <summary>The content library pages' rows, list view, host rules and Import / Deploy forms, without a browser.</summary>
public sealed class LibraryModelTests
{
    private static readonly HashSet<string> All = ActionRulesTests.All;
    private static readonly HashSet<string> ReadOnly = ActionRulesTests.ReadOnly;
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    private static LibraryItemRow Row(string name, string type, string host = "host-3", long size = 1 << 20, DateTimeOffset? created = null, string datastore = "local") =>
        new(new CenterLibraryItemDto(host, host == "host-3" ? "10.0.0.3" : "10.0.0.4", new LibraryItemDto(
            name,
            type,
            datastore,
            type == "ovf"
                ? [new LibraryFileDto("disk0.qcow2", "qcow2", size, 8L << 30), new LibraryFileDto("disk1.qcow2", "qcow2", size, 1L << 30)]
                : [new LibraryFileDto(type == "iso" ? "debian.iso" : "disk0.qcow2", type == "iso" ? "iso" : "qcow2", size, 8L << 30)],
            created ?? Monday)
        {
            Cpus = type == "ovf" ? 2 : null,
            MemoryMiB = type == "ovf" ? 256 : null,
            Source = $"{name}.src",
        }));

    private static LibraryHost Host(string id, IReadOnlySet<string>? privileges = null, HostConnectionState connection = HostConnectionState.Connected, IReadOnlySet<string>? folder = null) =>
        new(id, id == "host-3" ? "10.0.0.3" : "10.0.0.4", 8443, connection, privileges ?? All, "group-5", "dc/vm", folder ?? All,
        [
            LibraryDatastore.For(new CenterDatastoreDto("datastore-6", $"local ({id})", "datacenter-2", "local", 10L << 30, 5L << 30, [id]), id),
            LibraryDatastore.For(new CenterDatastoreDto("datastore-7", "shared", "datacenter-2", "dir", 10L << 30, 5L << 30, ["host-3", "host-4"]), id),
        ]);

    [Fact]
    public void Row_NamesTypesAsVSphereDoes_AndSumsItsFiles()
    {
        var ovf = Row("appliance", "ovf", size: 3 << 20);
        Assert.Equal(("OVF template", "qcow2", 6L << 20, "2 vCPU, 256 MiB", "host-3/appliance"), (ovf.TypeLabel, ovf.Format, ovf.SizeBytes, ovf.Hardware, ovf.Key));
        Assert.Equal(("ISO image", "iso", null), (Row("debian", "iso").TypeLabel, Row("debian", "iso").Format, Row("debian", "iso").Hardware));
        Assert.Equal("Image", Row("base", "disk").TypeLabel);
        Assert.Equal("future", LibraryItemRow.LabelOf("future"));
        Assert.True(ovf.Matches("  APPLI "));
        Assert.True(ovf.Matches("template"));
        Assert.True(ovf.Matches("10.0.0.3"));
        Assert.True(ovf.Matches("appliance.src"));
        Assert.True(ovf.Matches(null));
        Assert.False(ovf.Matches("iso"));
    }

    [Fact]
    public void ListView_FiltersByTextTypeAndHost_AndSortsByAnyColumnBothWays()
    {
        LibraryItemRow[] rows =
        [
            Row("b-disk", "disk", size: 5 << 20, created: Monday.AddDays(-1)),
            Row("a-iso", "iso", host: "host-4", size: 9 << 20, created: Monday),
            Row("c-ovf", "ovf", size: 1 << 20, created: Monday.AddDays(-2)),
        ];
        var view = new LibraryListView();
        Assert.Equal(["a-iso", "b-disk", "c-ovf"], view.Apply(rows).Select(r => r.Name));
        Assert.Equal("ascending", view.SortState(LibraryListView.NameColumn));

        view.SortBy(LibraryListView.NameColumn);
        Assert.Equal(("descending", "none"), (view.SortState(LibraryListView.NameColumn), view.SortState(LibraryListView.SizeColumn)));
        Assert.Equal(["c-ovf", "b-disk", "a-iso"], view.Apply(rows).Select(r => r.Name));

        view.SortBy(LibraryListView.SizeColumn);
        Assert.False(view.Descending);
        // The OVF template's two 1 MiB disks are its size.
        Assert.Equal(["c-ovf", "b-disk", "a-iso"], view.Apply(rows).Select(r => r.Name));
        view.SortBy(LibraryListView.CreatedColumn);
        view.SortBy(LibraryListView.CreatedColumn);
        Assert.Equal(["a-iso", "b-disk", "c-ovf"], view.Apply(rows).Select(r => r.Name));

        view.Type = "iso";
        Assert.Equal(["a-iso"], view.Apply(rows).Select(r => r.Name));
        view.Type = null;
        view.HostId = "host-3";
        view.Text = "ovf";
        Assert.Equal(["c-ovf"], view.Apply(rows).Select(r => r.Name));
    }

    [Fact]
    public void Host_SaysWhyEachLibraryOperationCannotRunThere()
    {
        var host = Host("host-3");
        Assert.Equal(("10.0.0.3:8443 (host-3)", null, null, null), (host.Label, host.ImportReason, host.DeleteReason, host.DeployReason));
        var viewer = Host("host-3", ReadOnly, folder: ReadOnly);
        Assert.Equal("You lack ContentLibrary.AddLibraryItem on 10.0.0.3:8443 (host-3)", viewer.ImportReason);
        Assert.Equal("You lack ContentLibrary.DeleteLibraryItem on 10.0.0.3:8443 (host-3)", viewer.DeleteReason);
        Assert.Equal("You lack VirtualMachine.Inventory.Create on 10.0.0.3:8443 (host-3)", viewer.DeployReason);
        Assert.Equal("You lack VirtualMachine.Inventory.Create on folder dc/vm", Host("host-3", folder: ReadOnly).DeployReason);
        var down = Host("host-3", connection: HostConnectionState.NotResponding);
        Assert.Equal("10.0.0.3:8443 (host-3) is not responding", down.ImportReason);
        Assert.Equal(down.ImportReason, down.DeployReason);
        // The Center calls a host's local datastore "local (host-N)"; the host calls it "local".
        Assert.Equal(["local", "shared"], host.Datastores.Select(d => d.HostName));
        Assert.Equal("local (host-9)", LibraryDatastore.For(new CenterDatastoreDto("datastore-6", "local (host-9)", "dc", "local", 1, 1, ["host-9"]), "host-3").HostName);
    }

    [Fact]
    public void ImportModel_TakesTheFilesNameAndType_UnlessTheUserChoseOthers()
    {
        var model = new LibraryImportModel();
        model.ChooseFile("Debian 12 (netinst).iso", 600 << 20);
        Assert.Equal(("Debian-12--netinst-", "iso"), (model.Name, model.EffectiveType));
        model.ChooseFile("base.qcow2", 1 << 20);
        Assert.Equal(("base", "disk"), (model.Name, model.EffectiveType));
        model.Name = "golden";
        model.ChooseFile("appliance.OVA", 1 << 20);
        Assert.Equal(("golden", "ova", 1L << 20), (model.Name, model.EffectiveType, model.FileSize));
        model.Type = "disk";
        Assert.Equal("disk", model.EffectiveType);
        Assert.Equal("disk", LibraryImportModel.TypeOf("notes.txt"));
        Assert.Equal("disk", LibraryImportModel.TypeOf(null));
        Assert.Equal("x", LibraryImportModel.DefaultName("..x.img"));
        Assert.Equal(80, LibraryImportModel.DefaultName(new string('a', 100) + ".img").Length);
    }

    [Fact]
    public void ImportModel_Validate_NeedsAFileAValidFreeNameAndAHostThatTakesIt()
    {
        LibraryHost[] hosts = [Host("host-3"), Host("host-4", ReadOnly)];
        var model = new LibraryImportModel();
        Assert.Equal(
            [(LibraryImportModel.FileField, "choose the file to import"), (LibraryImportModel.NameField, "item name: the name is required"),
             (LibraryImportModel.HostField, "2 hosts are connected: choose the one to keep the item")],
            model.Validate(hosts, []));

        model.ChooseFile("empty.qcow2", 0);
        model.HostId = "host-4";
        Assert.Equal(
            [(LibraryImportModel.FileField, "empty.qcow2 is empty"), (LibraryImportModel.HostField, "You lack ContentLibrary.AddLibraryItem on 10.0.0.4:8443 (host-4)")],
            model.Validate(hosts, []));

        model.ChooseFile("base.qcow2", 1 << 20);
        model.HostId = "host-3";
        model.Datastore = "nfs";
        Assert.Equal(
            [(LibraryImportModel.DatastoreField, "10.0.0.3:8443 (host-3) has no datastore 'nfs'"), (LibraryImportModel.NameField, "the content library of 10.0.0.3:8443 (host-3) already has an item 'base'")],
            model.Validate(hosts, [Row("base", "disk"), Row("other", "disk", host: "host-4")]));
        model.Datastore = "shared";
        Assert.Empty(model.Validate(hosts, [Row("base", "disk", host: "host-4")]));

        // One host: it is the choice.
        var single = new LibraryImportModel();
        single.ChooseFile("base.qcow2", 1);
        Assert.Same(hosts[0], single.Host([hosts[0]]));
        Assert.Empty(single.Validate([hosts[0]], []));
        single.Name = "bad name";
        Assert.Contains("item name:", Assert.Single(single.Validate([hosts[0]], [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportModel_Query_IsTheHostsParameters_AndRefusalsFindTheirFields()
    {
        var model = new LibraryImportModel();
        model.ChooseFile("my disk&1.vmdk", 1 << 20);
        Assert.Equal("?name=my-disk-1&type=disk&fileName=my%20disk%261.vmdk", model.ToQuery());
        model.Datastore = "shared";
        model.Type = "ova";
        Assert.Equal("?name=my-disk-1&type=ova&datastore=shared&fileName=my%20disk%261.vmdk", model.ToQuery());

        Assert.Equal(LibraryImportModel.NameField, LibraryImportModel.FieldOf(new DomainError(ErrorCodes.LibraryDuplicateName, "taken")));
        Assert.Equal(LibraryImportModel.DatastoreField, LibraryImportModel.FieldOf(new DomainError(ErrorCodes.DatastoreNoSpace, "full")));
        Assert.Equal(LibraryImportModel.HostField, LibraryImportModel.FieldOf(new DomainError(ErrorCodes.InvalidArgument, "2 hosts are connected: say which with host", "host")));
        Assert.Null(LibraryImportModel.FieldOf(new DomainError(ErrorCodes.LibraryInvalidContent, "not a tar archive")));
    }

    [Fact]
    public void DeployModel_DefaultsToTheOvfsSize_ChecksTheForm_AndDeploysOnTheItemsHost()
    {
        var ovf = new LibraryDeployModel(Row("appliance", "ovf", host: "host-4")) { Name = "web-1" };
        Assert.Equal((2, 256L, false), (ovf.Cpus, ovf.MemoryMiB, ovf.IsIso));
        var request = ovf.ToRequest();
        Assert.Equal(("host-4", null, "web-1", 2, 256L, null, null, false),
            (request.Host, request.Folder, request.Deploy.Name, request.Deploy.Cpus, request.Deploy.MemoryMiB, request.Deploy.Image, request.Deploy.DiskSize, request.Deploy.PowerOn));

        var host = Host("host-3");
        var iso = new LibraryDeployModel(Row("debian", "iso")) { Name = "web-1", DiskGiB = -1, Cpus = 0, Datastore = "nfs" };
        Assert.Equal((1, 512L), (new LibraryDeployModel(Row("base", "disk")).Cpus, new LibraryDeployModel(Row("base", "disk")).MemoryMiB));
        var errors = iso.Validate(host, ["web-1"]);
        Assert.Equal([LibraryDeployModel.NameField, LibraryDeployModel.DatastoreField, LibraryDeployModel.CpusField, LibraryDeployModel.DiskField], errors.Select(e => e.Field));
        Assert.Equal("a VM named 'web-1' is already in folder dc/vm or on 10.0.0.3:8443 (host-3)", errors[0].Message);

        iso.Name = "web-2";
        iso.Cpus = 1;
        iso.DiskGiB = 8;
        iso.Datastore = "shared";
        iso.BootTiny = true;
        iso.PowerOn = true;
        Assert.Empty(iso.Validate(host, ["web-1"]));
        var deploy = iso.ToRequest().Deploy;
        Assert.Equal(("shared", "tiny", "8G", true), (deploy.Datastore, deploy.Image, deploy.DiskSize, deploy.PowerOn));
        Assert.Equal("You lack VirtualMachine.Inventory.Create on 10.0.0.3:8443 (host-3)", Assert.Single(iso.Validate(Host("host-3", ReadOnly), [])).Message);
    }

    [Fact]
    public void DeployModel_FieldOf_ReadsTheCentersAndTheHostsFieldsAndCodes()
    {
        Assert.Equal(LibraryDeployModel.NameField, LibraryDeployModel.FieldOf("deploy.name", ErrorCodes.InvalidArgument));
        Assert.Equal(LibraryDeployModel.MemoryField, LibraryDeployModel.FieldOf("memoryMiB", ErrorCodes.VmInvalidSpec));
        Assert.Equal(LibraryDeployModel.NameField, LibraryDeployModel.FieldOf(null, ErrorCodes.VmDuplicateName));
        Assert.Equal(LibraryDeployModel.DatastoreField, LibraryDeployModel.FieldOf(null, ErrorCodes.DatastoreNoSpace));
        Assert.Null(LibraryDeployModel.FieldOf("item", ErrorCodes.LibraryItemNotFound));
    }

    [Fact]
    public void UploadTickets_AreSingleUseAndExpire()
    {
        var time = new ManualTime(Monday);
        var tickets = new UploadTickets(time);
        var ticket = new UploadTicket(new AuthenticatedUser(1, "administrator"), "host-3", "?name=base");
        var token = tickets.Issue(ticket);
        Assert.Equal(64, token.Length);
        Assert.Same(ticket, tickets.Take(token));
        Assert.Null(tickets.Take(token));
        Assert.Null(tickets.Take(null));
        Assert.Null(tickets.Take("forged"));

        var late = tickets.Issue(ticket);
        time.Now += UploadTickets.Lifetime;
        Assert.Null(tickets.Take(late));
        Assert.NotEqual(late, tickets.Issue(ticket));
    }

    [Fact]
    public void UploadResult_ReadsTheItem_OrTheCentersProblemDetails()
    {
        var item = Row("base", "disk").Source;
        Assert.Equal(item.Item.Name, new LibraryUploadResult(201, JsonSerializer.Serialize(item, JsonDefaults.Options)).Item().Item.Name);

        var refused = Assert.Throws<DomainException>(() => new LibraryUploadResult(422, """
            {"type":"https://hyperion.dev/problems/library.invalid-content","status":422,"code":"library.invalid-content",
             "errors":[{"code":"library.invalid-content","message":"host 127.0.0.1: 'x.ova' is not an OVA (tar) package","field":"content"}]}
            """).Item());
        Assert.Equal((ErrorCodes.LibraryInvalidContent, "content"), (refused.Code, refused.Errors[0].Field));
        var plain = Assert.Throws<DomainException>(() => new LibraryUploadResult(401, """{"code":"auth.unauthorized","detail":"the upload ticket is unknown"}""").Item());
        Assert.Equal(("auth.unauthorized", "the upload ticket is unknown"), (plain.Code, plain.Message));
        Assert.Equal("the Center answered 502 to the upload", Assert.Throws<DomainException>(() => new LibraryUploadResult(502, "<html>").Item()).Message);
        Assert.Equal("the connection failed", Assert.Throws<DomainException>(() => new LibraryUploadResult(0, "the connection failed").Item()).Message);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
