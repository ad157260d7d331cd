using Hyperion.Domain.Vms;
using Hyperion.Host.Ha;
using Hyperion.Host.Vms;

namespace Hyperion.Host.Tests.Ha;

/// <summary>The VMs of one simulated host for the HA protocol tests; every start and stop goes through <see cref="HaWorld"/>, which checks that no VM ever runs twice.</summary>
internal sealed class FakeHaVms(string hostId, HaWorld world) : IHaVms
{
    private readonly Dictionary<string, HaLocalVm> _vms = new(StringComparer.Ordinal);
    private int _next = 1;

    public string HostId => hostId;

    public long FreeMemoryMiB { get; set; } = 1024;

    public bool PowerOnFails { get; set; }

    public HaLocalVm Add(VmSpec spec, bool running)
    {
        var vm = new HaLocalVm($"vm-{_next++}", spec, "shared", spec.Name, running ? VmPowerState.PoweredOn : VmPowerState.PoweredOff, VmExitCause.None, $"/nonexistent/{hostId}/{spec.Name}.pid", false);
        _vms[vm.Id] = vm;
        world.Catalog[spec.Uuid] = spec;
        if (running)
        {
            world.Started(spec.Uuid, hostId);
        }

        return vm;
    }

    /// <summary>An operation (a power-on under way) holds the VM.</summary>
    public void SetBusy(Guid uuid, bool busy)
    {
        var vm = Find(uuid)!;
        _vms[vm.Id] = vm with { Busy = busy };
    }

    /// <summary>The VM's settings changed here (its HA overrides, as <c>PUT /api/vms/{id}/ha</c> does).</summary>
    public void Reconfigure(Guid uuid, VmSpec spec)
    {
        var vm = Find(uuid)!;
        _vms[vm.Id] = vm with { Spec = spec };
        world.Catalog[uuid] = spec;
    }

    public HaLocalVm? Find(Guid uuid) => _vms.Values.FirstOrDefault(v => v.Spec.Uuid == uuid);

    public bool Runs(Guid uuid) => Find(uuid) is { PowerState: not VmPowerState.PoweredOff };

    /// <summary>The QEMU dies (crash) or is powered off on request.</summary>
    public void Stop(Guid uuid, VmExitCause cause)
    {
        var vm = Find(uuid)!;
        _vms[vm.Id] = vm with { PowerState = VmPowerState.PoweredOff, LastExit = cause };
        world.Stopped(uuid, hostId);
    }

    /// <summary>Power loss: every QEMU here is gone.</summary>
    public void LosePower()
    {
        foreach (var vm in _vms.Values.Where(v => v.PowerState != VmPowerState.PoweredOff).ToList())
        {
            Stop(vm.Spec.Uuid, VmExitCause.Crashed);
        }
    }

    public IReadOnlyList<HaLocalVm> HaSnapshot() => _vms.Values.ToList();

    public Task FenceAsync(string id, string isolationResponse, CancellationToken cancellationToken)
    {
        if (isolationResponse != Contracts.Ha.HaIsolationResponses.LeaveOn && _vms[id].PowerState != VmPowerState.PoweredOff)
        {
            Stop(_vms[id].Spec.Uuid, VmExitCause.Fenced);
        }

        return Task.CompletedTask;
    }

    /// <summary>Power-ons wait for <see cref="FinishPowerOn"/> (a QEMU start that takes a while), so the test sees how many are under way.</summary>
    public bool HoldPowerOns { get; set; }

    /// <summary>The VMs whose QEMU fails to start here.</summary>
    public HashSet<Guid> PowerOnFailsFor { get; } = [];

    /// <summary>Every power-on that began here, in order (VM uuids).</summary>
    public List<Guid> PowerOnsBegun { get; } = [];

    /// <summary>The VMs whose power-on is under way (held) now.</summary>
    public IReadOnlyCollection<Guid> PowerOnsUnderWay => _held.Keys;

    /// <summary>The most power-ons ever under way at once here.</summary>
    public int MostPowerOnsUnderWay { get; private set; }

    private readonly Dictionary<Guid, TaskCompletionSource> _held = [];

    /// <summary>Lets the held power-on of VM <paramref name="uuid"/> complete.</summary>
    public void FinishPowerOn(Guid uuid) => _held[uuid].SetResult();

    public async Task PowerOnAsync(string id, CancellationToken cancellationToken)
    {
        var uuid = _vms[id].Spec.Uuid;
        PowerOnsBegun.Add(uuid);
        if (HoldPowerOns)
        {
            // What VmService does: the VM's operation lock is held for the whole power-on.
            _vms[id] = _vms[id] with { Busy = true };
            var held = new TaskCompletionSource();
            _held.Add(uuid, held);
            MostPowerOnsUnderWay = Math.Max(MostPowerOnsUnderWay, _held.Count);
            try
            {
                await held.Task;
            }
            finally
            {
                _held.Remove(uuid);
                _vms[id] = _vms[id] with { Busy = false };
            }
        }

        if (PowerOnFails || PowerOnFailsFor.Contains(uuid))
        {
            throw new Domain.Errors.DomainException(Domain.Errors.ErrorCodes.VmStartFailed, "fake: QEMU did not start");
        }

        var vm = _vms[id];
        _vms[id] = vm with { PowerState = VmPowerState.PoweredOn, LastExit = VmExitCause.None };
        world.Started(vm.Spec.Uuid, hostId);
    }

    public List<string> Resets { get; } = [];

    public Task ResetAsync(string id, CancellationToken cancellationToken)
    {
        Resets.Add(id);
        return Task.CompletedTask;
    }

    /// <summary>Gives the VM a guest heartbeat file (as the tiny guest's serial log) and a QEMU pid.</summary>
    public string WithGuestHeartbeat(Guid uuid, int pid)
    {
        var vm = Find(uuid)!;
        var path = Path.Combine(world.Datastore, $"{vm.Spec.Name}-serial.log");
        Directory.CreateDirectory(world.Datastore);
        File.WriteAllText(path, string.Empty);
        _vms[vm.Id] = vm with { GuestHeartbeat = path, Pid = pid };
        return path;
    }

    /// <summary>Gives the VM a QEMU pid; its guest agent has not answered yet (see <see cref="GuestAgentAnswered"/>).</summary>
    public void WithGuestAgent(Guid uuid, int pid)
    {
        var vm = Find(uuid)!;
        _vms[vm.Id] = vm with { Pid = pid, GuestAgentSeenAt = null };
    }

    /// <summary>The VM's guest agent answered a ping at <paramref name="at"/>.</summary>
    public void GuestAgentAnswered(Guid uuid, DateTimeOffset at)
    {
        var vm = Find(uuid)!;
        _vms[vm.Id] = vm with { GuestAgentSeenAt = at };
    }

    public Task<string> RegisterForHaAsync(string datastore, string folder, Guid uuid, CancellationToken cancellationToken)
    {
        if (Find(uuid) is { } existing)
        {
            return Task.FromResult(existing.Id);
        }

        var vm = new HaLocalVm($"vm-{_next++}", world.Catalog[uuid], datastore, folder, VmPowerState.PoweredOff, VmExitCause.None, $"/nonexistent/{hostId}/{folder}.pid", false);
        _vms[vm.Id] = vm;
        return Task.FromResult(vm.Id);
    }

    public Task UnregisterAsync(string id, CancellationToken cancellationToken)
    {
        _vms.Remove(id);
        return Task.CompletedTask;
    }

    public long AvailableMemoryMiB() => FreeMemoryMiB - _vms.Values.Where(v => v.PowerState != VmPowerState.PoweredOff).Sum(v => v.Spec.MemoryMiB);

    public long TotalMemoryMiB() => FreeMemoryMiB;

    public IReadOnlyList<string> HeartbeatFiles(string clusterId, string hostId, IReadOnlyList<string> datastores) =>
        [DatastoreHeartbeat.PathFor(world.Datastore, clusterId, hostId)];
}
