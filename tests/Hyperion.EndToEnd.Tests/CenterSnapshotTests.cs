using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Snapshots through a real Center with the CLI (tasks waited for), on a real tiny guest of a real agent: a memory
/// snapshot and a disk snapshot as a tree, revert, delete; the same tree read from the host agent directly; a user
/// without the snapshot privileges refused.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterSnapshotTests
{
    [Fact]
    public async Task Snapshots_ThroughCenterCli_TreeRevertDelete_PrivilegesChecked()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        var admin = new InProcessCli(center.BaseAddress, center.Fingerprint, CenterProcess.AdminUser, CenterProcess.AdminPassword);
        await admin.OkAsync("datacenter", "create", "DC1");
        await admin.OkAsync("cluster", "create", "prod");
        await admin.OkAsync("host", "add", $"127.0.0.1:{agent.Port}", "--cluster", "prod", "--host-password", HostAgentProcess.Password, "--fingerprint", agent.Fingerprint);
        var vm = JsonSerializer.Deserialize<CenterVmDto>(
            (await admin.OkAsync("vm", "create", "snap-c", "--cpus", "1", "--memory", "128", "--image", "tiny", "--disk", "16M", "--cluster", "prod", "--power-on", "--json")).Out,
            JsonDefaults.Options)!;
        await agent.Api.WaitForTickAsync("snap-c", 3);

        var taken = await admin.OkAsync("vm", "snapshot", "create", "snap-c", "before", "--memory", "--description", "before the upgrade");
        Assert.Equal("snapshot 'before' (id 1) taken: disks and memory", taken.Out.Trim());
        await admin.OkAsync("vm", "snapshot", "create", "snap-c", "after");
        var tree = (await admin.OkAsync("vm", "snapshot", "list", "snap-c")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("  before (id 1, memory, poweredOn, ", tree[0], StringComparison.Ordinal);
        Assert.EndsWith(" — before the upgrade", tree[0].TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("*   after (id 2, disks, poweredOn, ", tree[1], StringComparison.Ordinal);

        var reverted = await admin.OkAsync("vm", "snapshot", "revert", "snap-c", "before");
        Assert.Equal("reverted to snapshot 'before': the VM is poweredOn", reverted.Out.Trim());
        Assert.Equal("snapshot 'after' deleted", (await admin.OkAsync("vm", "snapshot", "delete", "snap-c", "after")).Out.Trim());

        // The host keeps the tree: read there directly, it is the same.
        var onCenter = JsonSerializer.Deserialize<SnapshotTreeDto>((await admin.OkAsync("vm", "snapshot", "list", vm.Id, "--json")).Out, JsonDefaults.Options)!;
        var onHost = new InProcessCli(agent.BaseAddress, agent.Fingerprint, "root", HostAgentProcess.Password);
        var direct = JsonSerializer.Deserialize<SnapshotTreeDto>((await onHost.OkAsync("vm", "snapshot", "list", "snap-c", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal(["before"], onCenter.Snapshots.Select(s => s.Name));
        Assert.Equal((1, (int?)1), (direct.Snapshots.Count, direct.CurrentId));

        // Tasks and events recorded it; a read-only user may look but not snapshot.
        var tasks = JsonSerializer.Deserialize<TaskDto[]>((await admin.OkAsync("task", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Contains(tasks, t => t.DescriptionId == "VirtualMachine.revertToSnapshot" && t.State == "success");
        var events = JsonSerializer.Deserialize<CenterEventDto[]>((await admin.OkAsync("event", "list", "--object", vm.Id, "--json")).Out, JsonDefaults.Options)!;
        Assert.Contains(events, e => e.Type == CenterEventTypes.VmSnapshotReverted);
        await admin.OkAsync("user", "create", "ro", "--password", "ro-password");
        await admin.OkAsync("permission", "add", "--user", "ro", "--role", "Read-only", "--object", "/DC1");
        var readOnly = admin with { User = "ro", Password = "ro-password" };
        await readOnly.OkAsync("vm", "snapshot", "list", vm.Id);
        var refused = await readOnly.RunAsync("vm", "snapshot", "create", vm.Id, "sneaky");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("auth.forbidden", refused.Error, StringComparison.Ordinal);
        var missing = await admin.RunAsync("vm", "snapshot", "revert", vm.Id, "nope");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.True(missing.Error.Contains("snapshot.not-found", StringComparison.Ordinal), missing.ToString());

        await admin.OkAsync("vm", "power-off", vm.Id);
        await admin.OkAsync("vm", "delete", vm.Id);
    }
}
