using System.Net;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>A VM is a self-describing folder: unregistered on one host, copied to another, registered and booted there.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CrossHostTests : IAsyncLifetime
{
    private HostAgentProcess _a = null!;
    private HostAgentProcess _b = null!;

    public async Task InitializeAsync()
    {
        var a = HostAgentProcess.StartAsync("tcg");
        var b = HostAgentProcess.StartAsync("tcg");
        _a = await a;
        _b = await b;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task FolderCopiedToAnotherHost_Registered_BootsWithItsDisk()
    {
        var original = await _a.Api.CreateTinyAsync("traveller", "hyperion.write=moved", 128, new VmDiskRequest(Size: "16M"));
        await _a.Api.PowerOkAsync("traveller", "power-on");
        await Eventually.GetAsync(() => _a.Api.SerialAsync("traveller"), l => l.Contains("disk: moved", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "disk written on host A");
        await _a.Api.PowerOkAsync("traveller", "power-off");

        // Unregister keeps the files.
        (await _a.Api.SendAsync(HttpMethod.Post, "/api/vms/traveller/unregister")).EnsureStatus(HttpStatusCode.NoContent);
        Assert.True(Directory.Exists(original.Folder));
        Assert.Equal(HttpStatusCode.NotFound, (await _a.Api.SendAsync(HttpMethod.Get, "/api/vms/traveller")).Status);
        Assert.Contains(await _a.Api.EventsAsync(original.Id), e => e.Type == EventTypes.VmUnregistered);

        var copy = Path.Combine(_b.Data.Path, "datastores", "local", "imported", "traveller");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(original.Folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var registered = (await _b.Api.SendAsync(HttpMethod.Post, "/api/vms/register", new VmRegisterRequest("local", "imported/traveller"))).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal(original.Uuid, registered.Uuid);
        Assert.Equal(copy, registered.Folder);
        Assert.Equal(HttpStatusCode.Conflict, (await _b.Api.SendAsync(HttpMethod.Post, "/api/vms/register", new VmRegisterRequest("local", "imported/traveller"))).Status);
        Assert.Equal("datastore.path-escapes", (await _b.Api.SendAsync(HttpMethod.Post, "/api/vms/register", new VmRegisterRequest("local", "../../.."))).Problem().Code);
        Assert.Equal("vm.folder-invalid", (await _b.Api.SendAsync(HttpMethod.Post, "/api/vms/register", new VmRegisterRequest("local", "imported"))).Problem().Code);

        await _b.Api.SendAsync(HttpMethod.Patch, "/api/vms/traveller", new VmReconfigureRequest { KernelArgs = string.Empty });
        await _b.Api.PowerOkAsync("traveller", "power-on");
        var log = await Eventually.GetAsync(() => _b.Api.SerialAsync("traveller"), l => TinyGuestLog.CountBoots(l) == 2 && l[l.LastIndexOf(TinyGuestLog.BootMarker, StringComparison.Ordinal)..].Contains("disk: moved", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "host B's boot reads the disk written on host A");
        Assert.Equal(1, TinyGuestLog.CountBoots(log[..log.LastIndexOf(TinyGuestLog.BootMarker, StringComparison.Ordinal)]));
        await _b.Api.PowerOkAsync("traveller", "power-off");

        // Delete removes the files, and only on explicit delete.
        (await _b.Api.SendAsync(HttpMethod.Delete, "/api/vms/traveller")).EnsureStatus(HttpStatusCode.NoContent);
        Assert.False(Directory.Exists(copy));
        Assert.True(Directory.Exists(original.Folder), "host A's unregistered folder is untouched");
        Assert.Contains(await _b.Api.EventsAsync(registered.Id), e => e.Type == EventTypes.VmDeleted);
    }
}
