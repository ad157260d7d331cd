using Hyperion.Contracts.Events;
using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Ha;
using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>What the HA agent needs of the VMs: a snapshot of them, fencing, per-VM HA settings.</summary>
internal sealed partial class VmService : Ha.IHaVms
{
    public async Task PowerOnAsync(string id, CancellationToken cancellationToken) => await PowerAsync(id, VmPowerOperation.PowerOn, null, cancellationToken);

    public long TotalMemoryMiB() => _capacity.Current.MemoryMiB;

    public async Task ResetAsync(string id, CancellationToken cancellationToken) => await PowerAsync(id, VmPowerOperation.Reset, null, cancellationToken);

    public IReadOnlyList<string> HeartbeatFiles(string clusterId, string hostId, IReadOnlyList<string> datastores)
    {
        var stores = _datastores.All.Where(d => datastores.Count == 0 ? d.Name != "local" : datastores.Contains(d.Name));
        return stores.Select(d => Ha.DatastoreHeartbeat.PathFor(d.Path, clusterId, hostId)).ToList();
    }

    public IReadOnlyList<HaLocalVm> HaSnapshot()
    {
        lock (_vms)
        {
            return _vms.Values.Select(e =>
            {
                lock (e.Gate)
                {
                    return new HaLocalVm(e.Id, e.Spec, e.Registration.Datastore, e.Registration.Folder, e.PowerState, e.LastExit, e.Paths.PidFile, e.Migration is not null || e.StorageMotion is not null, e.OperationLock.CurrentCount == 0,
                        !e.Spec.GuestAgent && e.Spec.Boot.Kind == BootKind.Kernel && e.Spec.Boot.Image == Images.ImageCatalog.Tiny ? Path.Combine(e.FolderPath, VmFolder.SerialLogFile) : null,
                        e.Pid,
                        e.GuestAgent is { } agent && agent.Pid == e.Pid ? agent.LastSeenAt : null);
                }
            }).ToList();
        }
    }

    /// <summary>
    /// Applies the isolation response to one VM, at once and without taking its operation lock (an operation stuck on
    /// an unreachable peer must not delay fencing): <c>power-off</c> kills its QEMU, <c>shutdown</c> presses the power
    /// button, <c>leave-on</c> does nothing.
    /// </summary>
    public async Task FenceAsync(string id, string isolationResponse, CancellationToken cancellationToken)
    {
        var entry = Find(id);
        int? pid;
        Hypervisor.Drivers.IVmInstance? instance;
        lock (entry.Gate)
        {
            pid = entry.Pid;
            instance = entry.Instance;
            if (pid is null || isolationResponse == HaIsolationResponses.LeaveOn)
            {
                return;
            }

            entry.ExpectedExit = isolationResponse == HaIsolationResponses.PowerOff ? ExpectedExit.Fenced : ExpectedExit.Shutdown;
        }

        if (isolationResponse == HaIsolationResponses.PowerOff)
        {
            _processes.Kill(pid.Value);
            _events.Publish(EventTypes.HaIsolationResponse, $"HA isolation response: killing QEMU {pid} (this host lost its HA lease)", entry.Id, entry.Spec.Name);
        }
        else if (instance is not null)
        {
            await instance.PressPowerButtonAsync(cancellationToken);
            _events.Publish(EventTypes.HaIsolationResponse, "HA isolation response: shutting the guest down (this host lost its HA lease)", entry.Id, entry.Spec.Name);
        }
    }

    /// <summary>Sets the VM's HA restart priority and monitoring, in any power state (kept in its folder's config).</summary>
    public async Task<VmDto> SetHaAsync(string idOrName, VmHaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = Find(idOrName);
        var priority = request.RestartPriority is null ? entry.Spec.RestartPriority : HaRestartPriorityNames.Parse(request.RestartPriority);
        if (request.HeartbeatTimeoutSeconds is < 5 or > 3600)
        {
            throw new Domain.Errors.DomainException(new Domain.Errors.DomainError(Domain.Errors.ErrorCodes.HaInvalidConfig, "heartbeatTimeoutSeconds must be between 5 and 3600", "heartbeatTimeoutSeconds"));
        }

        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            var updated = entry.Spec with
            {
                RestartPriority = priority,
                VmMonitoring = request.Monitoring ?? entry.Spec.VmMonitoring,
                VmMonitoringTimeoutSeconds = request.HeartbeatTimeoutSeconds ?? entry.Spec.VmMonitoringTimeoutSeconds,
            };
            VmFolder.Save(entry.FolderPath, updated);
            lock (entry.Gate)
            {
                entry.Spec = updated;
            }

            _events.Publish(EventTypes.VmReconfigured, $"HA: restart priority {HaRestartPriorityNames.Name(updated.RestartPriority)}, VM monitoring {(updated.VmMonitoring ? $"on (reset after {updated.VmMonitoringTimeoutSeconds} s without a guest heartbeat)" : "off")}", entry.Id, updated.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>Registers a VM folder for an HA restart and returns the VM's id here (the existing one if already registered).</summary>
    public async Task<string> RegisterForHaAsync(string datastore, string folder, Guid uuid, CancellationToken cancellationToken)
    {
        lock (_vms)
        {
            if (_vms.Values.FirstOrDefault(v => v.Spec.Uuid == uuid) is { } existing)
            {
                return existing.Id;
            }
        }

        try
        {
            return (await RegisterAsync(new VmRegisterRequest(datastore, folder), cancellationToken)).Id;
        }
        catch (Domain.Errors.DomainException ex) when (ex.Code == Domain.Errors.ErrorCodes.VmAlreadyRegistered)
        {
            // Registered meanwhile by a concurrent call (HA restarts run several at once): RegisterAsync checks under
            // the inventory lock, so the VM is registered once; answer with that registration.
            lock (_vms)
            {
                if (_vms.Values.FirstOrDefault(v => v.Spec.Uuid == uuid) is { } registered)
                {
                    return registered.Id;
                }
            }

            throw;
        }
    }
}
