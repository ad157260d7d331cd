using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Templates and clones through a real Center and the CLI, on two real hosts sharing a datastore: mark as template,
/// template list, power-on refused at once, deploy a customized linked clone to the other host (it boots there and
/// prints its hostname), a full clone of that running VM, the template protected by a dependant that lives on the
/// other host, and a user without the provisioning privileges refused.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterCloneTests(MigrationLab lab) : IClassFixture<MigrationLab>
{
    [Fact]
    public async Task Templates_DeployLinkedToAnotherHost_Customized_ProtectedAcrossHosts()
    {
        var cli = new InProcessCli(lab.Center.BaseAddress, lab.Center.Fingerprint, CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var golden = await lab.CreateRunningAsync("golden", disks: [new VmDiskRequest("16M")], powerOn: false);

        Assert.Equal("'golden' is now a template.", (await cli.OkAsync("vm", "mark-template", "golden")).Out.Trim());
        var templates = JsonSerializer.Deserialize<CenterVmDto[]>((await cli.OkAsync("template", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal([golden.Id], templates.Select(t => t.Id));
        Assert.True(templates[0].Template);
        var powerOn = await cli.RunAsync("vm", "power-on", "golden");
        Assert.True(powerOn.ExitCode == 1, powerOn.ToString());
        Assert.Contains("vm.is-template", powerOn.Error, StringComparison.Ordinal);

        // Deployed as a linked clone to host B (the template lives on A; both mount the shared datastore), customized.
        var deployed = await cli.OkAsync("template", "deploy", "golden", "web-b", "--linked", "--host", lab.HostB.Id, "--power-on", "--hostname", "web-b.lab.test", "--user", "ops", "--json");
        var web = JsonSerializer.Deserialize<CenterVmDto>(deployed.Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostB.Id, "poweredOn", false), (web.HostId, web.PowerState, web.Template));
        var log = await Eventually.GetAsync(() => lab.SerialAsync(web.Id), l => l.Contains("cloud-init: user ops", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the customization read on host B");
        Assert.Contains("cloud-init: hostname web-b.lab.test", log, StringComparison.Ordinal);
        var onB = await lab.AgentB.Api.GetVmAsync(web.HostLocalId!);
        Assert.NotNull(onB.LinkedTemplateUuid);
        Assert.DoesNotContain(await lab.AgentA.Api.ListVmsAsync(), v => v.Name == "web-b");

        // The template's own host cannot see that dependant; the Center can, and refuses with its name.
        var delete = await cli.RunAsync("vm", "delete", "golden");
        Assert.True(delete.ExitCode == 1, delete.ToString());
        Assert.Contains("template.in-use", delete.Error, StringComparison.Ordinal);
        Assert.Contains("web-b", delete.Error, StringComparison.Ordinal);
        var toVm = await cli.RunAsync("template", "to-vm", "golden");
        Assert.Contains("template.in-use", toVm.Error, StringComparison.Ordinal);

        // A full clone of the running clone, on B, as a task.
        var copy = JsonSerializer.Deserialize<CenterVmDto>((await cli.OkAsync("vm", "clone", "web-b", "web-b-copy", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostB.Id, "poweredOff"), (copy.HostId, copy.PowerState));
        Assert.Null((await lab.AgentB.Api.GetVmAsync(copy.HostLocalId!)).LinkedTemplateUuid);
        var tasks = JsonSerializer.Deserialize<TaskDto[]>((await cli.OkAsync("task", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Contains(tasks, t => t.DescriptionId == "VirtualMachine.clone" && t.State == "success" && t.TargetName == "golden");
        Assert.Contains(tasks, t => t.DescriptionId == "VirtualMachine.markAsTemplate" && t.State == "success");

        // Bad input is refused before any task: a name taken; a linked clone where the template's datastore is not.
        var taken = await cli.RunAsync("vm", "clone", "web-b", "web-b-copy");
        Assert.Contains("vm.duplicate-name", taken.Error, StringComparison.Ordinal);

        // A VM on host A's local datastore cloned for host B: made on A, its disks moved to B's local datastore.
        var local = await lab.CreateRunningAsync("local-only", disks: [new VmDiskRequest("8M")], powerOn: false, datastore: lab.LocalOfA);
        var relayed = JsonSerializer.Deserialize<CenterVmDto>((await cli.OkAsync("vm", "clone", local.Id, "local-copy", "--host", lab.HostB.Id, "--power-on", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostB.Id, "poweredOn"), (relayed.HostId, relayed.PowerState));
        await lab.WaitForTickAsync(relayed.Id, 2);
        Assert.Equal("local", (await lab.AgentB.Api.GetVmAsync(relayed.HostLocalId!)).Datastore);
        Assert.DoesNotContain(await lab.AgentA.Api.ListVmsAsync(), v => v.Name == "local-copy");

        // A linked clone of a running VM (not a template) for host A: web-b goes on on a delta disk over its frozen
        // image, which the Center protects across hosts (web-b's own host B cannot see the child on A).
        var child = JsonSerializer.Deserialize<CenterVmDto>((await cli.OkAsync("vm", "clone", "web-b", "web-b-child", "--linked", "--host", lab.HostA.Id, "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostA.Id, "poweredOff"), (child.HostId, child.PowerState));
        var parent = await lab.AgentB.Api.GetVmAsync(web.HostLocalId!);
        Assert.True(parent.LinkedCloneParent);
        Assert.Equal("poweredOn", parent.PowerState);
        Assert.Equal(onB.Uuid, (await lab.AgentA.Api.GetVmAsync(child.HostLocalId!)).LinkedTemplateUuid);
        await cli.OkAsync("vm", "power-off", "web-b");
        var parentDelete = await cli.RunAsync("vm", "delete", "web-b");
        Assert.True(parentDelete.ExitCode == 1, parentDelete.ToString());
        Assert.Contains("template.in-use", parentDelete.Error, StringComparison.Ordinal);
        Assert.Contains("web-b-child", parentDelete.Error, StringComparison.Ordinal);

        // Without the provisioning privileges: refused.
        await cli.OkAsync("user", "create", "operator", "--password", "operator-password");
        await cli.OkAsync("permission", "add", "--user", "operator", "--role", "VM operator", "--object", "/dc-motion");
        var refused = await (cli with { User = "operator", Password = "operator-password" }).RunAsync("template", "deploy", "golden", "sneaky");
        Assert.Contains("auth.forbidden", refused.Error, StringComparison.Ordinal);

        foreach (var vm in new[] { child, web, copy, local, relayed })
        {
            await lab.DeleteAsync(vm);
        }

        Assert.Equal("'golden' is now a virtual machine.", (await cli.OkAsync("template", "to-vm", "golden")).Out.Trim());
        await lab.DeleteAsync(golden);
    }
}
