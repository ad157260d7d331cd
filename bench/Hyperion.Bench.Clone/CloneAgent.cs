using System.Diagnostics;
using System.Net;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.Bench.Clone;

/// <summary>The host agent's REST calls the benchmark makes, each timed from before the request to the parsed answer.</summary>
internal sealed class CloneAgent(HostApi api)
{
    public HostApi Api { get; } = api;

    /// <summary>A tiny-guest VM (1 vCPU, 128 MiB) with one qcow2 disk of <paramref name="diskGiB"/> GiB, powered off.</summary>
    public Task<VmDto> CreateAsync(string name, int diskGiB) =>
        Api.CreateTinyAsync(name, disks: new VmDiskRequest(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{diskGiB}G")));

    public async Task<VmDto> MarkTemplateAsync(string name) =>
        (await Api.SendAsync(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(name)}/mark-template")).As<VmDto>();

    /// <summary><c>POST /api/vms/{source}/clone</c> → 201; the milliseconds are the whole call.</summary>
    public async Task<(VmDto Vm, double Ms)> CloneAsync(string source, string name, bool linked, bool powerOn)
    {
        var clock = Stopwatch.StartNew();
        var result = await Api.SendAsync(HttpMethod.Post, $"/api/vms/{Uri.EscapeDataString(source)}/clone", new VmCloneRequest(name) { Linked = linked, PowerOn = powerOn });
        var ms = clock.Elapsed.TotalMilliseconds;
        return (result.As<VmDto>(HttpStatusCode.Created), ms);
    }

    public async Task<(VmDto Vm, double Ms)> PowerOnAsync(string name)
    {
        var clock = Stopwatch.StartNew();
        var vm = await Api.PowerOkAsync(name, "power-on");
        return (vm, clock.Elapsed.TotalMilliseconds);
    }

    public Task<VmDto> PowerOffAsync(string name) => Api.PowerOkAsync(name, "power-off");

    /// <summary><c>DELETE /api/vms/{name}</c> → 204 (the VM must be powered off); the milliseconds are the whole call.</summary>
    public async Task<double> DeleteAsync(string name)
    {
        var clock = Stopwatch.StartNew();
        var result = await Api.SendAsync(HttpMethod.Delete, $"/api/vms/{Uri.EscapeDataString(name)}");
        var ms = clock.Elapsed.TotalMilliseconds;
        result.EnsureStatus(HttpStatusCode.NoContent);
        return ms;
    }

    /// <summary>Power-off (when running) and delete, reporting rather than throwing: for cleanup after a failed step.</summary>
    public async Task TryRemoveAsync(string name, TextWriter log)
    {
        try
        {
            var found = await Api.SendAsync(HttpMethod.Get, $"/api/vms/{Uri.EscapeDataString(name)}");
            if (found.Status == HttpStatusCode.NotFound)
            {
                return;
            }

            if (found.As<VmDto>().PowerState != "poweredOff")
            {
                await PowerOffAsync(name);
            }

            await DeleteAsync(name);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            await log.WriteLineAsync($"  note: removing {name} failed ({ex.Message}); the agent's data directory is removed at the end anyway");
        }
    }

    /// <summary>Removes every VM whose name starts with <paramref name="prefix"/> (cleanup; reports rather than throws, so
    /// that the failure being unwound is the one seen).</summary>
    public async Task TryRemoveAllAsync(string prefix, TextWriter log)
    {
        IReadOnlyList<VmDto> vms;
        try
        {
            vms = await Api.ListVmsAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            await log.WriteLineAsync($"  note: listing VMs for cleanup failed ({ex.Message}); the agent's data directory is removed at the end anyway");
            return;
        }

        foreach (var vm in vms.Where(v => v.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await TryRemoveAsync(vm.Name, log);
        }
    }

    public static string DiskPath(VmDto vm, int index = 0) => Path.Combine(vm.Folder, vm.Disks[index].Path);

    public static string SerialLog(VmDto vm) => Path.Combine(vm.Folder, "serial.log");
}
