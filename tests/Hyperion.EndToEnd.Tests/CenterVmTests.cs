using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// VM operations and tasks through the real Center on a real host agent running real tiny guests (TCG): placement
/// by cluster, create, power, guest shutdown cancelled, reconfigure, delete; maintenance mode, disconnect and
/// reconnect; a Center killed mid-task.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterVmTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task VmLifecycle_ThroughCenter_EveryStepATask()
    {
        await using var agent = await HostAgentProcess.StartAsync();
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-vm", "cl-vm");

        var created = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Cluster = "cl-vm",
            Spec = new VmCreateRequest { Name = "web-1", Image = "tiny", MemoryMiB = 128, KernelArgs = "hyperion.ignore_powerbutton=1" },
        }));
        Assert.Equal(host.Id, created.HostId);
        Assert.Equal("poweredOff", created.PowerState);
        Assert.Equal("web-1", (await agent.Api.GetVmAsync(created.HostLocalId!)).Name);

        var on = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{created.Id}/power-on"));
        Assert.Equal("poweredOn", on.PowerState);
        await agent.Api.WaitForTickAsync("web-1", 1);

        // The serial log through the Center, read in chunks by offset as from the host.
        var serial = await admin.Http.GetAsync(new Uri($"/api/vms/{created.Id}/console/serial?offset=0", UriKind.Relative));
        serial.EnsureSuccessStatusCode();
        Assert.Contains("hyperion-tiny boot", await serial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(long.Parse(serial.Headers.GetValues("X-Hyperion-Next-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        // The console through the Center: the browser's websocket is relayed to the host's VNC server.
        using (var console = await ConnectConsoleAsync(center, created.Id))
        {
            var banner = new byte[12];
            var received = await console.ReceiveAsync(banner, CancellationToken.None);
            Assert.Equal("RFB 003.008\n", System.Text.Encoding.ASCII.GetString(banner, 0, received.Count));
            await console.SendAsync(banner, System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None);
            var types = new byte[16];
            received = await console.ReceiveAsync(types, CancellationToken.None);
            Assert.True(received.Count >= 2 && types[0] >= 1, "security types after the version handshake");
            await console.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        // A browser cannot send credentials on a websocket: it takes a single-use ticket with its session instead.
        var ticket = (await admin.SendAsync(HttpMethod.Post, $"/api/vms/{created.Id}/console/ticket")).As<ConsoleTicketDto>();
        using (var console = await ConnectConsoleAsync(center, created.Id, ticket.Ticket))
        {
            var banner = new byte[12];
            var received = await console.ReceiveAsync(banner, CancellationToken.None);
            Assert.Equal("RFB 003.008\n", System.Text.Encoding.ASCII.GetString(banner, 0, received.Count));
            await console.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => ConnectConsoleAsync(center, created.Id, ticket.Ticket));
        using var anonymous = center.Client();
        var spent = await anonymous.SendAsync(HttpMethod.Get, ticket.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, spent.Status);

        // The guest ignores the power button: the shutdown task waits, and cancelling it ends it as cancelled.
        var shutdown = (await admin.SendAsync(HttpMethod.Post, $"/api/vms/{created.Id}/shutdown", new VmShutdownRequest(120))).As<TaskDto>(HttpStatusCode.Accepted);
        Assert.True(shutdown.Cancellable);
        await Eventually.GetAsync(async () => (await admin.SendAsync(HttpMethod.Get, $"/api/tasks/{shutdown.Id}")).As<TaskDto>().State, s => s == "running", Timeout, "shutdown task running");
        var cancelling = (await admin.SendAsync(HttpMethod.Post, $"/api/tasks/{shutdown.Id}/cancel")).As<TaskDto>();
        Assert.True(cancelling.CancelRequested);
        var cancelled = await admin.WaitTaskAsync(shutdown.Id);
        Assert.Equal("cancelled", cancelled.State);
        Assert.Equal("task.cancelled", cancelled.Error!.Code);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, $"/api/tasks/{shutdown.Id}/cancel")).Status);

        // Reconfiguring a running VM is refused by the host: the task fails with the host's code.
        var refused = await admin.WaitAsync(await admin.SendAsync(HttpMethod.Patch, $"/api/vms/{created.Id}", new VmReconfigureRequest { Cpus = 2 }));
        Assert.Equal("error", refused.State);
        Assert.Equal("vm.invalid-state", refused.Error!.Code);

        // Deleting a running VM is refused at once, with no task.
        var deleteRunning = await admin.SendAsync(HttpMethod.Delete, $"/api/vms/{created.Id}");
        Assert.Equal(HttpStatusCode.Conflict, deleteRunning.Status);

        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{created.Id}/power-off"));
        Assert.Equal("poweredOff", (await agent.Api.GetVmAsync(created.HostLocalId!)).PowerState);
        var resized = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Patch, $"/api/vms/{created.Id}", new VmReconfigureRequest { Cpus = 2, MemoryMiB = 192 }));
        Assert.Equal((2, 192L), (resized.Cpus, resized.MemoryMiB));
        Assert.Equal(2, (await agent.Api.GetVmAsync(created.HostLocalId!)).Cpus);

        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Delete, $"/api/vms/{created.Id}"));
        Assert.Empty(await agent.Api.ListVmsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, $"/api/vms/{created.Id}")).Status);

        // Every step left an event on the VM, with the task that made it.
        var events = (await admin.SendAsync(HttpMethod.Get, $"/api/events?object={created.Id}&limit=100")).As<PageDto<CenterEventDto>>().Items;
        Assert.Equal(
            ["vm.created", "vm.powered-on", "vm.powered-off", "vm.reconfigured", "vm.deleted"],
            events.Select(e => e.Type).Reverse().Distinct());
        // (The heartbeat may also have seen a power change before the task recorded it: that event has no task.)
        Assert.All(events.Select(e => e.Type).Distinct(), type => Assert.Contains(events, e => e.Type == type && e.TaskId is not null));
        var poweredOn = (await admin.SendAsync(HttpMethod.Get, $"/api/events?object={created.Id}&type=vm.powered-on")).As<PageDto<CenterEventDto>>().Items;
        Assert.NotEmpty(poweredOn);
        Assert.All(poweredOn, e => Assert.Equal("vm.powered-on", e.Type));

        var tasks = (await admin.SendAsync(HttpMethod.Get, "/api/tasks?limit=3")).As<PageDto<TaskDto>>();
        Assert.Equal(3, tasks.Items.Count);
        Assert.NotNull(tasks.Next);
        Assert.Equal("VirtualMachine.destroy", tasks.Items[0].DescriptionId);
        Assert.All(tasks.Items, t => Assert.Equal(CenterProcess.AdminUser, t.Initiator));
        var rest = (await admin.SendAsync(HttpMethod.Get, $"/api/tasks?limit=100&cursor={Uri.EscapeDataString(tasks.Next!)}")).As<PageDto<TaskDto>>();
        Assert.Null(rest.Next);
        var all = tasks.Items.Concat(rest.Items).ToList();
        Assert.Equal(all.Count, all.Select(t => t.Id).Distinct().Count());
        Assert.Equal(
            ["Folder.createVm", "VirtualMachine.powerOn", "VirtualMachine.shutdownGuest", "VirtualMachine.reconfigure", "VirtualMachine.powerOff", "VirtualMachine.reconfigure", "VirtualMachine.destroy"],
            all.Where(t => t.TargetName == "web-1").Select(t => t.DescriptionId).Reverse());
        var failed = (await admin.SendAsync(HttpMethod.Get, "/api/tasks?state=error")).As<PageDto<TaskDto>>();
        Assert.Equal([refused.Id], failed.Items.Select(t => t.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(HttpMethod.Get, "/api/tasks?cursor=bogus")).Status);
    }

    [Fact]
    public async Task CreateVm_BadRequests_ProblemsAndNoTask()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-bad", "cl-bad");

        // Followed live: the task stream (SSE) carries the create task from queued to success.
        using var stream = await admin.Http.GetAsync(new Uri("/api/tasks/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var created = (await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "taken" } })).As<TaskDto>(HttpStatusCode.Accepted);
        var states = new List<string>();
        using (var deadline = new CancellationTokenSource(Timeout))
        {
            while (!states.Contains("success"))
            {
                var line = await reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("stream ended");
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var task = System.Text.Json.JsonSerializer.Deserialize<TaskDto>(line[6..], Hyperion.Contracts.JsonDefaults.Options)!;
                    if (task.Id == created.Id)
                    {
                        states.Add(task.State);
                    }
                }
            }
        }

        Assert.Equal(["running", "success"], states.Distinct().Where(s => s != "queued"));
        var before = (await admin.SendAsync(HttpMethod.Get, "/api/tasks")).As<PageDto<TaskDto>>().Total;

        var noSpec = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Cluster = "cl-bad" });
        var both = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Cluster = "cl-bad", Host = host.Id, Spec = new VmCreateRequest { Name = "x" } });
        var noCluster = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Cluster = "nope", Spec = new VmCreateRequest { Name = "x" } });
        var noHost = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = "host-999999", Spec = new VmCreateRequest { Name = "x" } });
        var badName = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "a/b" } });
        var duplicate = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "taken" } });
        var noDatastore = await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Cluster = "cl-bad", Spec = new VmCreateRequest { Name = "x", Datastore = "nfs-missing" } });
        var unknownVm = await admin.SendAsync(HttpMethod.Post, "/api/vms/vm-999999/power-on");
        var unknownTask = await admin.SendAsync(HttpMethod.Get, "/api/tasks/task-999999");

        Assert.Equal(("request.invalid", HttpStatusCode.BadRequest), (noSpec.Problem().Code, noSpec.Status));
        Assert.Equal(("request.invalid", HttpStatusCode.BadRequest), (both.Problem().Code, both.Status));
        Assert.Equal(("inventory.not-found", HttpStatusCode.NotFound), (noCluster.Problem().Code, noCluster.Status));
        Assert.Equal(("host.not-found", HttpStatusCode.NotFound), (noHost.Problem().Code, noHost.Status));
        Assert.Equal(("request.invalid", HttpStatusCode.BadRequest), (badName.Problem().Code, badName.Status));
        Assert.Equal(("vm.duplicate-name", HttpStatusCode.Conflict), (duplicate.Problem().Code, duplicate.Status));
        Assert.Equal("host.no-capacity", noDatastore.Problem().Code);
        Assert.Equal(("vm.not-found", HttpStatusCode.NotFound), (unknownVm.Problem().Code, unknownVm.Status));
        Assert.Equal(("task.not-found", HttpStatusCode.NotFound), (unknownTask.Problem().Code, unknownTask.Status));
        Assert.Equal(before, (await admin.SendAsync(HttpMethod.Get, "/api/tasks")).As<PageDto<TaskDto>>().Total);
        Assert.Single(await agent.Api.ListVmsAsync());

        // The Center's name for the host's local datastore ("local (host-N)") is the host's "local".
        var local = (await admin.SendAsync(HttpMethod.Get, "/api/datastores")).As<PageDto<CenterDatastoreDto>>().Items.Single(d => d.Type == "local");
        Assert.Equal($"local ({host.Id})", local.Name);
        await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Cluster = "cl-bad", Spec = new VmCreateRequest { Name = "on-local", Datastore = local.Name } }));
        Assert.Equal("local", (await agent.Api.GetVmAsync("on-local")).Datastore);
    }

    [Fact]
    public async Task HostStates_MaintenanceDisconnectReconnect_GateOperationsAndConverge()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-state", "cl-state");
        var vm = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "m1" } }));
        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));

        // Entering maintenance waits for the powered-on VM; powering it off lets the task finish.
        var entering = (await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/enter-maintenance")).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await admin.SendAsync(HttpMethod.Get, $"/api/tasks/{entering.Id}")).As<TaskDto>().State, s => s == "running", Timeout, "maintenance task waiting");
        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        var inMaintenance = await admin.WaitTaskAsync(entering.Id);
        Assert.Equal("success", inMaintenance.State);
        Assert.True((await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>().InMaintenanceMode);
        var powerOnInMaintenance = await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on");
        Assert.Equal(("host.in-maintenance", HttpStatusCode.Conflict), (powerOnInMaintenance.Problem().Code, powerOnInMaintenance.Status));
        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/exit-maintenance"));

        // Disconnected: no calls to the host, operations refused; changes made on the host meanwhile converge on reconnect.
        var disconnected = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/disconnect"));
        Assert.Equal("disconnected", disconnected.ConnectionState);
        var powerOnDisconnected = await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on");
        Assert.Equal(("host.not-connected", HttpStatusCode.Conflict), (powerOnDisconnected.Problem().Code, powerOnDisconnected.Status));
        await agent.Api.CreateVmAsync(new VmCreateRequest { Name = "made-while-disconnected" });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal("disconnected", (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>().ConnectionState);
        var reconnected = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/reconnect"));
        Assert.Equal("connected", reconnected.ConnectionState);
        Assert.Equal(2, reconnected.VmCount);
    }

    [Fact]
    public async Task CenterKilledMidTask_TaskMarkedFailedAfterRestart()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-kill", "cl-kill");
        var vm = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "k1" } }));
        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        var waiting = (await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/enter-maintenance")).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await admin.SendAsync(HttpMethod.Get, $"/api/tasks/{waiting.Id}")).As<TaskDto>().State, s => s == "running", Timeout, "task running");

        await center.KillAsync();

        // While the Center is down the host changes: a VM powered off, another created. The Center converges at restart.
        await agent.Api.PowerOkAsync(vm.HostLocalId!, "power-off");
        await agent.Api.CreateVmAsync(new VmCreateRequest { Name = "made-while-center-down" });
        await center.RestartAsync();

        var after = (await admin.SendAsync(HttpMethod.Get, $"/api/tasks/{waiting.Id}")).As<TaskDto>();
        Assert.Equal("error", after.State);
        Assert.Equal("task.interrupted", after.Error!.Code);
        Assert.NotNull(after.CompletedAt);
        Assert.False((await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>().InMaintenanceMode);
        await Eventually.GetAsync(
            async () => string.Join(' ', (await admin.SendAsync(HttpMethod.Get, "/api/vms")).As<PageDto<CenterVmDto>>().Items.Select(v => $"{v.Name}:{v.PowerState}")),
            s => s == "k1:poweredOff made-while-center-down:poweredOff",
            Timeout,
            "the restarted Center to converge to the host");
    }

    [Fact]
    public async Task AddHost_EnrolsCenterCertificate_RootPasswordNotNeededAfterwards()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5", "--host-grace", "1");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-tls", "cl-tls");
        var trust = (await agent.Api.SendAsync(HttpMethod.Get, "/api/host/center-trust")).As<CenterTrustDto>();
        Assert.NotNull(trust.AuthorityFingerprint);

        // Root's password changes on the host: the Center never needed it after enrolment.
        await agent.KillAsync();
        File.Delete(Path.Combine(agent.Data.Path, "credentials.json"));
        agent.RootPassword = "a-new-root-password";
        await agent.RestartAsync();
        await agent.Api.CreateVmAsync(new VmCreateRequest { Name = "after-password-change" });
        await Eventually.GetAsync(
            async () => (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>(),
            h => h.ConnectionState == "connected" && h.VmCount == 1,
            Timeout,
            "the Center to reach the host with its certificate and import the new VM");
        var vm = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "via-certificate" } }));
        Assert.Equal(host.Id, vm.HostId);

        // A host that forgot the Center's CA refuses it; reconnecting with root's (new) password enrols it again.
        await agent.KillAsync();
        File.Delete(Path.Combine(agent.Data.Path, "center-ca.pem"));
        await agent.RestartAsync();
        var refused = await admin.WaitAsync(await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/reconnect"));
        Assert.Equal(("error", "host.auth-failed"), (refused.State, refused.Error!.Code));
        var reconnected = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/reconnect", new HostReconnectRequest("root", "a-new-root-password")));
        Assert.Equal("connected", reconnected.ConnectionState);
        Assert.NotNull((await agent.Api.SendAsync(HttpMethod.Get, "/api/host/center-trust")).As<CenterTrustDto>().AuthorityFingerprint);
    }

    [Fact]
    public async Task CustomRole_OnOneVm_AllowsItsOperationsOnlyAndRefusalsQueueNothing()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var (_, host) = await AddToClusterAsync(admin, agent, "dc-rbac", "cl-rbac");
        var mine = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "mine" } }));
        var other = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "other" } }));

        var unknownPrivilege = await admin.SendAsync(HttpMethod.Post, "/api/roles", new RoleCreateRequest("bad", ["No.Such.Privilege"]));
        var role = (await admin.SendAsync(HttpMethod.Post, "/api/roles", new RoleCreateRequest("power-user", ["VirtualMachine.Interact.PowerOn", "VirtualMachine.Interact.PowerOff"]))).As<RoleDto>(HttpStatusCode.Created);
        (await admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest("pat", "pat-password-1"))).EnsureStatus(HttpStatusCode.Created);
        (await admin.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest("pat", role.Name, mine.Id))).EnsureStatus(HttpStatusCode.Created);
        var roleInUse = await admin.SendAsync(HttpMethod.Delete, $"/api/roles/{role.Name}");
        var builtIn = await admin.SendAsync(HttpMethod.Delete, "/api/roles/Administrator");
        using var pat = center.Client("pat", "pat-password-1");
        var tasksBefore = (await admin.SendAsync(HttpMethod.Get, "/api/tasks")).As<PageDto<TaskDto>>().Total;

        var deleteMine = await pat.SendAsync(HttpMethod.Delete, $"/api/vms/{mine.Id}");
        var powerOther = await pat.SendAsync(HttpMethod.Post, $"/api/vms/{other.Id}/power-on");
        var createRole = await pat.SendAsync(HttpMethod.Post, "/api/roles", new RoleCreateRequest("sneaky", []));
        Assert.Equal(tasksBefore, (await admin.SendAsync(HttpMethod.Get, "/api/tasks")).As<PageDto<TaskDto>>().Total);
        var on = await pat.SucceedsAsync<CenterVmDto>(await pat.SendAsync(HttpMethod.Post, $"/api/vms/{mine.Id}/power-on"));

        Assert.Equal(HttpStatusCode.BadRequest, unknownPrivilege.Status);
        Assert.Contains(role.Privileges, p => p == "System.View");
        Assert.Equal(("role.in-use", HttpStatusCode.Conflict), (roleInUse.Problem().Code, roleInUse.Status));
        Assert.Equal(HttpStatusCode.Conflict, builtIn.Status);
        Assert.Equal(("auth.forbidden", HttpStatusCode.Forbidden), (deleteMine.Problem().Code, deleteMine.Status));
        Assert.Equal(HttpStatusCode.NotFound, powerOther.Status);
        Assert.Equal(HttpStatusCode.Forbidden, createRole.Status);
        Assert.Equal("poweredOn", on.PowerState);
        var patTasks = (await pat.SendAsync(HttpMethod.Get, "/api/tasks")).As<PageDto<TaskDto>>();
        Assert.All(patTasks.Items, t => Assert.Equal(mine.Id, t.TargetId));
        Assert.Contains((await admin.SendAsync(HttpMethod.Get, "/api/roles")).As<PageDto<RoleDto>>().Items, r => r.Name == "power-user" && !r.BuiltIn);

        var datastores = (await admin.SendAsync(HttpMethod.Get, "/api/datastores?datacenter=dc-rbac")).As<PageDto<CenterDatastoreDto>>();
        var local = Assert.Single(datastores.Items);
        Assert.Equal(($"local ({host.Id})", "local"), (local.Name, local.Type));
        Assert.Equal([host.Id], local.HostIds);
        Assert.True(local.CapacityBytes > 0);
        Assert.Empty((await pat.SendAsync(HttpMethod.Get, "/api/datastores")).As<PageDto<CenterDatastoreDto>>().Items);
    }

    private static async Task<System.Net.WebSockets.ClientWebSocket> ConnectConsoleAsync(CenterProcess center, string vmId, string? ticket = null)
    {
        var ws = new System.Net.WebSockets.ClientWebSocket();
        var expected = center.Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal);
        ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            cert is not null && Convert.ToHexString(cert.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)) == expected;
        if (ticket is null)
        {
            ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{CenterProcess.AdminUser}:{CenterProcess.AdminPassword}")));
        }

        ws.Options.AddSubProtocol("binary");
        try
        {
            await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{center.Port}/api/vms/{vmId}/console/vnc{(ticket is null ? string.Empty : "?ticket=" + ticket)}"), CancellationToken.None);
        }
        catch
        {
            ws.Dispose();
            throw;
        }

        return ws;
    }

    private static async Task<(ClusterDto Cluster, HostDto Host)> AddToClusterAsync(HostApi admin, HostAgentProcess agent, string datacenterName, string clusterName)
    {
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(datacenterName))).As<DatacenterDto>(HttpStatusCode.Created);
        var cluster = (await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(clusterName, datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);
        var host = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, cluster.Id, datacenter.Id)));
        return (cluster, host);
    }
}
