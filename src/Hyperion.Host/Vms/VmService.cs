using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Datastores;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;
using Hyperion.Domain.Units;
using Hyperion.Domain.Vms;
using Hyperion.Host.Acceleration;
using Hyperion.Host.Datastores;
using Hyperion.Host.Events;
using Hyperion.Host.Images;
using Hyperion.Hypervisor.Networking;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Qemu.Qmp;
using Hyperion.Hypervisor.Drivers;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>Every VM operation of the host agent. Decides with the Domain rules, then acts on QEMU and the datastore.</summary>
internal sealed partial class VmService : IAsyncDisposable
{
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, VmEntry> _vms = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _inventoryLock = new(1, 1);
    private readonly HostAgentOptions _options;
    private readonly VmInventory _inventory;
    private readonly DatastoreCatalog _datastores;
    private readonly ImageCatalog _images;
    private readonly VmRequestPlanner _planner;
    private readonly HostEventLog _events;
    private readonly IVmDriver _driver;
    private readonly QemuImg _qemuImg;
    private readonly TapDevices _taps;
    private readonly AccelerationState _acceleration;
    private readonly HostCapacityProvider _capacity;
    private readonly VmSupervisor _supervisor;
    private readonly TimeProvider _time;
    private readonly IProcessTable _processes;
    private readonly Hypervisor.CloudInit.NoCloudSeedWriter _seeds;
    private readonly Ha.HaRuntime _ha;
    private readonly ILogger<VmService> _logger;

    public VmService(
        HostAgentOptions options,
        VmInventory inventory,
        DatastoreCatalog datastores,
        ImageCatalog images,
        HostEventLog events,
        IVmDriver driver,
        QemuImg qemuImg,
        TapDevices taps,
        AccelerationState acceleration,
        HostCapacityProvider capacity,
        VmSupervisor supervisor,
        TimeProvider time,
        IProcessTable processes,
        Hypervisor.CloudInit.NoCloudSeedWriter seeds,
        Ha.HaRuntime ha,
        ILogger<VmService> logger)
    {
        _ha = ha;
        _seeds = seeds;
        _processes = processes;
        _options = options;
        _inventory = inventory;
        _datastores = datastores;
        _images = images;
        _planner = new VmRequestPlanner(images);
        _events = events;
        _driver = driver;
        _qemuImg = qemuImg;
        _taps = taps;
        _acceleration = acceleration;
        _capacity = capacity;
        _supervisor = supervisor;
        _time = time;
        _logger = logger;
    }

    /// <summary>Loads every registered VM and re-adopts those whose QEMU is still running (agent restart).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in _inventory.All)
        {
            var datastore = _datastores.Get(registration.Datastore);
            var folder = Path.Combine(datastore.Path, registration.Folder);
            VmSpec spec;
            try
            {
                spec = VmFolder.Load(folder);
            }
            catch (DomainException ex)
            {
                LogInaccessible(_logger, registration.Id, ex.Message);
                continue;
            }

            var entry = new VmEntry(registration, folder, spec, RuntimePaths(registration.Id, folder));
            _vms[entry.Id] = entry;
            await TryAdoptAsync(entry, cancellationToken);
        }

        await CleanAbandonedIncomingAsync(cancellationToken);
    }

    public IReadOnlyList<VmDto> List()
    {
        lock (_vms)
        {
            return _vms.Values.OrderBy(v => v.Spec.Name, StringComparer.Ordinal).Select(VmDtoMapper.ToDto).ToList();
        }
    }

    public VmDto Get(string idOrName) => VmDtoMapper.ToDto(Find(idOrName));

    public IReadOnlyList<string> RunningVmNames()
    {
        lock (_vms)
        {
            return _vms.Values.Where(v => v.PowerState != VmPowerState.PoweredOff).Select(v => v.Spec.Name).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>
    /// Memory (MiB) still free for VMs here: the host's memory less what its powered-on and arriving VMs were given
    /// (a guest that has not touched its memory yet still has it promised), and never more than the machine has free.
    /// </summary>
    public long AvailableMemoryMiB()
    {
        long committed;
        lock (_vms)
        {
            committed = _vms.Values.Where(v => v.PowerState != VmPowerState.PoweredOff).Sum(v => v.Spec.MemoryMiB)
                + _incoming.Values.Where(i => !i.Done && !i.PoweredOff).Sum(i => i.Spec.MemoryMiB);
        }

        var free = Hypervisor.Hosts.HostHardwareProbe.ReadAvailableMemoryMiB();
        return Math.Max(0, Math.Min(free > 0 ? free : long.MaxValue, _capacity.Current.MemoryMiB - committed));
    }

    public async Task<VmDto> CreateAsync(VmCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<DomainError>();
        if (VmSpecRules.ValidateName(request.Name) is { } nameError)
        {
            errors.Add(nameError);
        }

        errors.AddRange(VmSpecRules.ValidateSizes(request.Cpus, request.MemoryMiB, _capacity.Current));
        if (request.Disks.Count > VmSpecRules.MaxDisks)
        {
            errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"at most {VmSpecRules.MaxDisks} disks", "disks"));
        }

        if (request.Nics.Count > VmSpecRules.MaxNics)
        {
            errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"at most {VmSpecRules.MaxNics} NICs", "nics"));
        }

        if (errors.Count > 0)
        {
            throw new DomainException(errors);
        }

        var name = request.Name!;
        var datastore = _datastores.Get(request.Datastore);
        var boot = _planner.ResolveBoot(request.Image, request.Kernel, request.Initrd, request.KernelArgs, request.Iso);
        var plannedDisks = VmRequestPlanner.PlanDisks(request.Disks, datastore, name, startIndex: 0, errors);
        var nics = VmRequestPlanner.PlanNics(request.Nics, errors);
        if (errors.Count > 0)
        {
            throw new DomainException(errors);
        }

        await _inventoryLock.WaitAsync(cancellationToken);
        try
        {
            EnsureNameFree(name);
            var folder = Path.Combine(datastore.Path, name);
            if (Directory.Exists(folder) || File.Exists(folder))
            {
                throw new DomainException(ErrorCodes.VmDuplicateName, $"datastore '{datastore.Name}' already has a folder named '{name}' (register it, or choose another name)");
            }

            Directory.CreateDirectory(folder);
            try
            {
                var disks = new List<DiskSpec>();
                if (boot.ImportDisk is { } import)
                {
                    var file = $"{name}-boot.qcow2";
                    await _qemuImg.ConvertAsync(import, null, Path.Combine(folder, file), "qcow2", cancellationToken: cancellationToken);
                    var info = await _qemuImg.InfoAsync(Path.Combine(folder, file), cancellationToken);
                    disks.Add(new DiskSpec(file, info.VirtualSizeBytes));
                }

                disks.AddRange(await CreateDisksAsync(folder, plannedDisks, cancellationToken));
                var spec = new VmSpec
                {
                    Name = name,
                    Uuid = Guid.NewGuid(),
                    Cpus = request.Cpus,
                    MemoryMiB = request.MemoryMiB,
                    Disks = disks,
                    Nics = nics,
                    Boot = boot.Spec,
                    GuestAgent = request.GuestAgent,
                };
                VmFolder.Save(folder, spec);
                var registration = _inventory.Add(datastore.Name, name);
                var entry = new VmEntry(registration, folder, spec, RuntimePaths(registration.Id, folder));
                lock (_vms)
                {
                    _vms[entry.Id] = entry;
                }

                _events.Publish(EventTypes.VmCreated, $"created with {spec.Cpus} vCPU, {spec.MemoryMiB} MiB, {spec.Disks.Count} disk(s) on datastore {datastore.Name}", entry.Id, name);
                return VmDtoMapper.ToDto(entry);
            }
            catch
            {
                // Nothing half-made: the folder (and any disk in it) goes, nothing was registered.
                Directory.Delete(folder, recursive: true);
                throw;
            }
        }
        finally
        {
            _inventoryLock.Release();
        }
    }

    public async Task<VmDto> ReconfigureAsync(string idOrName, VmReconfigureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, "reconfigure");
            RequireNotTemplate(entry, "changed in place");
            RequirePoweredOff(entry, "reconfigure");
            var spec = entry.Spec;
            var errors = new List<DomainError>();
            errors.AddRange(VmSpecRules.ValidateSizes(request.Cpus ?? spec.Cpus, request.MemoryMiB ?? spec.MemoryMiB, _capacity.Current));
            var datastore = _datastores.Get(entry.Registration.Datastore);
            var planned = VmRequestPlanner.PlanDisks(request.AddDisks ?? [], datastore, spec.Name, spec.Disks.Count, errors);
            var nics = VmRequestPlanner.PlanNics(request.AddNics ?? [], errors);
            if (spec.Disks.Count + planned.Count > VmSpecRules.MaxDisks || spec.Nics.Count + nics.Count > VmSpecRules.MaxNics)
            {
                errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"at most {VmSpecRules.MaxDisks} disks and {VmSpecRules.MaxNics} NICs"));
            }

            if (errors.Count > 0)
            {
                throw new DomainException(errors);
            }

            var created = await CreateDisksAsync(entry.FolderPath, planned, cancellationToken);
            var updated = spec with
            {
                Cpus = request.Cpus ?? spec.Cpus,
                MemoryMiB = request.MemoryMiB ?? spec.MemoryMiB,
                Disks = [.. spec.Disks, .. created],
                Nics = [.. spec.Nics, .. nics],
                Boot = request.KernelArgs is null ? spec.Boot : spec.Boot with { KernelArgs = request.KernelArgs },
                Seed = request.RemoveCustomization == true ? null : spec.Seed,
                GuestAgent = request.GuestAgent ?? spec.GuestAgent,
            };
            VmFolder.Save(entry.FolderPath, updated);
            entry.Spec = updated;
            if (spec.Seed is { } seed && updated.Seed is null)
            {
                File.Delete(Path.Combine(entry.FolderPath, seed));
            }

            _events.Publish(EventTypes.VmReconfigured, $"reconfigured: {updated.Cpus} vCPU, {updated.MemoryMiB} MiB, {updated.Disks.Count} disk(s), {updated.Nics.Count} NIC(s){(updated.GuestAgent ? ", guest agent channel" : string.Empty)}", entry.Id, updated.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    public async Task<VmDto> RegisterAsync(VmRegisterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var datastore = _datastores.Get(request.Datastore);
        if (!DatastorePaths.TryResolveInside(datastore.Path, request.Path ?? string.Empty, out var folder))
        {
            throw new DomainException(ErrorCodes.DatastorePathEscapes, $"'{request.Path}' is not a folder inside datastore '{datastore.Name}'");
        }

        var spec = VmFolder.Load(folder);
        foreach (var disk in spec.Disks)
        {
            if (!DatastorePaths.TryResolveInside(datastore.Path, Path.GetRelativePath(datastore.Path, Path.GetFullPath(Path.Combine(folder, disk.Path))), out _)
                || Path.IsPathRooted(disk.Path))
            {
                throw new DomainException(ErrorCodes.DatastorePathEscapes, $"{VmFolder.ConfigFile} names disk '{disk.Path}' outside datastore '{datastore.Name}': refusing to register it");
            }
        }

        await _inventoryLock.WaitAsync(cancellationToken);
        try
        {
            EnsureNameFree(spec.Name);
            lock (_vms)
            {
                if (_vms.Values.FirstOrDefault(v => v.Spec.Uuid == spec.Uuid || v.FolderPath == folder) is { } existing)
                {
                    throw new DomainException(ErrorCodes.VmAlreadyRegistered, $"this VM folder is already registered as {existing.Id} ({existing.Spec.Name})");
                }
            }

            var registration = _inventory.Add(datastore.Name, Path.GetRelativePath(datastore.Path, folder));
            var entry = new VmEntry(registration, folder, spec, RuntimePaths(registration.Id, folder));
            lock (_vms)
            {
                _vms[entry.Id] = entry;
            }

            _events.Publish(EventTypes.VmRegistered, $"registered from [{datastore.Name}] {registration.Folder}", entry.Id, spec.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            _inventoryLock.Release();
        }
    }

    public Task UnregisterAsync(string idOrName, CancellationToken cancellationToken) => RemoveAsync(idOrName, deleteFiles: false, cancellationToken);

    public Task DeleteAsync(string idOrName, CancellationToken cancellationToken) => RemoveAsync(idOrName, deleteFiles: true, cancellationToken);

    public async Task<VmDto> PowerAsync(string idOrName, VmPowerOperation operation, TimeSpan? shutdownTimeout, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, operation.ToString().ToLowerInvariant());
            if (operation == VmPowerOperation.PowerOn)
            {
                RequireNotTemplate(entry, "powered on");
            }

            var decision = VmPowerTransitions.Decide(entry.PowerState, operation);
            if (!decision.Allowed)
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}': {decision.Reason}");
            }

            if (decision.NoOp)
            {
                return VmDtoMapper.ToDto(entry);
            }

            if (entry.Instance is { HasMonitor: false } && operation != VmPowerOperation.PowerOff)
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}': its QEMU monitor does not answer, so only power-off is possible");
            }

            switch (operation)
            {
                case VmPowerOperation.PowerOn when entry.PowerState == VmPowerState.Suspended:
                case VmPowerOperation.Resume:
                    await entry.Instance!.ContinueAsync(cancellationToken);
                    SetPowerState(entry, VmPowerState.PoweredOn);
                    _events.Publish(EventTypes.VmResumed, "resumed", entry.Id, entry.Spec.Name);
                    break;
                case VmPowerOperation.PowerOn:
                    await _ha.AcquireForPowerOnAsync(entry.Spec, entry.Registration.Datastore, entry.Registration.Folder, cancellationToken);
                    await StartQemuAsync(entry, cancellationToken);
                    break;
                case VmPowerOperation.Suspend:
                    await entry.Instance!.PauseAsync(cancellationToken);
                    SetPowerState(entry, VmPowerState.Suspended);
                    _events.Publish(EventTypes.VmSuspended, "suspended (paused in memory)", entry.Id, entry.Spec.Name);
                    break;
                case VmPowerOperation.Reset:
                    await entry.Instance!.ResetAsync(cancellationToken);
                    _events.Publish(EventTypes.VmReset, "reset", entry.Id, entry.Spec.Name);
                    break;
                case VmPowerOperation.PowerOff:
                    await PowerOffAsync(entry, cancellationToken);
                    break;
                case VmPowerOperation.Shutdown:
                    await ShutdownAsync(entry, shutdownTimeout ?? _options.ShutdownTimeout, cancellationToken);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(operation));
            }

            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>Reads the serial log from <paramref name="offset"/>; returns the bytes and the offset to ask for next.</summary>
    public async Task<(byte[] Content, long NextOffset)> ReadSerialAsync(string idOrName, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        var path = Path.Combine(entry.FolderPath, VmFolder.SerialLogFile);
        if (!File.Exists(path))
        {
            return ([], 0);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Clamp(offset, 0, stream.Length);
        stream.Position = start;
        var buffer = new byte[(int)Math.Min(maxBytes, stream.Length - start)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return (buffer[..read], start + read);
    }

    /// <summary>The unix socket of the VM's VNC server; refused unless the VM runs.</summary>
    public string VncSocket(string idOrName)
    {
        var entry = Find(idOrName);
        lock (entry.Gate)
        {
            if (entry.PowerState == VmPowerState.PoweredOff)
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' is powered off: it has no console");
            }
        }

        return entry.Paths.VncSocket;
    }

    /// <summary>Agent shutdown: stop watching, leave every VM running.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_vms)
        {
            foreach (var entry in _vms.Values)
            {
                VmSupervisor.Detach(entry);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The launch description with a built-in image's kernel resolved (what power-on and an incoming migration start).</summary>
    private QemuLaunchConfig ResolvedLaunchConfigFor(VmEntry entry)
    {
        var spec = entry.Spec;
        var config = LaunchConfigFor(entry);
        if (spec.Boot.Kind == BootKind.Kernel && spec.Boot.Image == ImageCatalog.Tiny)
        {
            var tiny = _images.GetTiny();
            config = config with
            {
                Kernel = tiny.Kernel,
                Initrd = tiny.Initrd,
                KernelArgs = string.IsNullOrWhiteSpace(spec.Boot.KernelArgs) ? tiny.BaseCmdline : $"{tiny.BaseCmdline} {spec.Boot.KernelArgs}",
            };
        }

        return config;
    }

    private async Task StartQemuAsync(VmEntry entry, CancellationToken cancellationToken, string? loadSnapshot = null)
    {
        var spec = entry.Spec;
        var config = ResolvedLaunchConfigFor(entry) with { LoadSnapshot = loadSnapshot };
        IVmInstance instance;
        try
        {
            foreach (var nic in config.Nics.Where(n => n.Tap is not null))
            {
                await _taps.CreateAsync(nic.Tap!, nic.Network, cancellationToken);
            }

            instance = await _driver.StartAsync(config, Path.Combine(entry.FolderPath, VmFolder.QemuLogFile), cancellationToken);
        }
        catch (Exception ex) when (ex is QemuStartException or InvalidOperationException)
        {
            VmSupervisor.CleanRunDirectory(entry);
            await _supervisor.DeleteTapsAsync(entry);
            throw new DomainException(ErrorCodes.VmStartFailed, $"VM '{spec.Name}' did not start: {ex.Message}");
        }

        lock (entry.Gate)
        {
            entry.PowerState = VmPowerState.PoweredOn;
            entry.PoweredOnAt = _time.GetUtcNow();
            entry.ExpectedExit = ExpectedExit.None;
        }

        _supervisor.Start(entry, instance);
        _events.Publish(EventTypes.VmPoweredOn, $"powered on (pid {instance.Pid}, {instance.Accelerator})", entry.Id, spec.Name);
    }

    private async Task PowerOffAsync(VmEntry entry, CancellationToken cancellationToken)
    {
        Task exited;
        IVmInstance? instance;
        lock (entry.Gate)
        {
            entry.ExpectedExit = ExpectedExit.PowerOff;
            exited = entry.Exited.Task;
            instance = entry.Instance;
        }

        if (instance is not null)
        {
            await instance.QuitAsync(QuitGrace, cancellationToken);
        }

        // The supervisor marks the VM off once the instance is gone.
        await exited.WaitAsync(cancellationToken);
    }

    private async Task ShutdownAsync(VmEntry entry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task exited;
        lock (entry.Gate)
        {
            entry.ExpectedExit = ExpectedExit.Shutdown;
            exited = entry.Exited.Task;
        }

        await entry.Instance!.PressPowerButtonAsync(cancellationToken);
        if (await Task.WhenAny(exited, Task.Delay(timeout, _time, cancellationToken)) != exited)
        {
            lock (entry.Gate)
            {
                entry.ExpectedExit = ExpectedExit.None;
            }

            throw new DomainException(ErrorCodes.VmShutdownTimeout, $"VM '{entry.Spec.Name}' did not shut down within {timeout.TotalSeconds:F0} s (the guest may ignore the power button); it is still running — power it off to force it");
        }
    }

    private async Task TryAdoptAsync(VmEntry entry, CancellationToken cancellationToken)
    {
        var spec = entry.Spec;
        var launch = LaunchConfigFor(entry);
        var hadPidFile = File.Exists(entry.Paths.PidFile);
        var found = await _driver.AttachAsync(launch, cancellationToken);
        if (found.Instance is not { } instance)
        {
            if (hadPidFile)
            {
                VmSupervisor.CleanRunDirectory(entry);
                await _supervisor.DeleteTapsAsync(entry);
                entry.LastExit = VmExitCause.Crashed;
                _events.Publish(EventTypes.VmPoweredOff, "found powered off when the agent started (its QEMU is gone)", entry.Id, spec.Name);
            }

            return;
        }

        lock (entry.Gate)
        {
            entry.PowerState = found.Paused ? VmPowerState.Suspended : VmPowerState.PoweredOn;
            entry.PoweredOnAt = File.Exists(entry.Paths.PidFile) ? File.GetLastWriteTimeUtc(entry.Paths.PidFile) : _time.GetUtcNow();
        }

        _supervisor.Start(entry, instance);
        if (found.Problem is { } problem)
        {
            // Alive but unreachable: left running and visible, watched by its process; only power-off is possible.
            LogAdoptFailed(_logger, entry.Id, instance.Pid, problem);
            _events.Publish(EventTypes.VmAdopted, $"re-adopted running QEMU (pid {instance.Pid}) but its monitor does not answer ({problem}); only power-off is possible", entry.Id, spec.Name);
        }
        else
        {
            LogAdopted(_logger, entry.Id, instance.Pid);
            _events.Publish(EventTypes.VmAdopted, $"re-adopted running QEMU (pid {instance.Pid}) after agent start", entry.Id, spec.Name);
            try
            {
                if (instance is IVmDiskOverlays overlays)
                {
                    // A crash between a delta-disk switch and the spec's update: QEMU knows what it writes.
                    await SyncDisksWithQemuAsync(entry, overlays, cancellationToken);
                }


                ResumeWatchingMigration(entry, instance, await instance.QueryMigrationAsync(cancellationToken), found.Paused);
            }
            catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
            {
                // No migration to pick up (or QEMU busy): the VM is adopted as it is.
            }
        }
    }

    private async Task RemoveAsync(string idOrName, bool deleteFiles, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequirePoweredOff(entry, deleteFiles ? "delete" : "unregister");
            if (deleteFiles)
            {
                RequireNoLinkedClones(entry, $"delete {(entry.Spec.Template ? "template" : "VM")} '{entry.Spec.Name}'");
            }

            var taken = deleteFiles && entry.StorageMotion is { ToPeer: true } toPeer && toPeer.Status.Status == "copied" ? toPeer : null;
            if (taken is null)
            {
                RequireNotMigrating(entry, deleteFiles ? "delete" : "unregister");
            }

            await _inventoryLock.WaitAsync(cancellationToken);
            try
            {
                _inventory.Remove(entry.Id);
                lock (_vms)
                {
                    _vms.Remove(entry.Id);
                }
            }
            finally
            {
                _inventoryLock.Release();
            }

            if (taken is not null)
            {
                // Another host took the VM with a copy of its disks: this copy's hold ends.
                taken.Taken = true;
                await taken.Cancellation.CancelAsync();
            }

            if (deleteFiles)
            {
                Directory.Delete(entry.FolderPath, recursive: true);
                _events.Publish(EventTypes.VmDeleted, "deleted with its files", entry.Id, entry.Spec.Name);
            }
            else
            {
                _events.Publish(EventTypes.VmUnregistered, $"unregistered; its folder {entry.FolderPath} is kept", entry.Id, entry.Spec.Name);
            }

            try
            {
                Directory.Delete(Path.GetDirectoryName(entry.Paths.QmpSocket)!, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    private VmEntry Find(string idOrName)
    {
        lock (_vms)
        {
            if (_vms.TryGetValue(idOrName, out var byId))
            {
                return byId;
            }

            return _vms.Values.FirstOrDefault(v => v.Spec.Name == idOrName)
                ?? throw new DomainException(ErrorCodes.VmNotFound, $"no VM named or with id '{idOrName}' on this host");
        }
    }

    private void EnsureNameFree(string name)
    {
        lock (_vms)
        {
            if (_vms.Values.FirstOrDefault(v => v.Spec.Name == name) is { } existing)
            {
                throw new DomainException(ErrorCodes.VmDuplicateName, $"a VM named '{name}' already exists ({existing.Id})");
            }
        }
    }

    private static void RequirePoweredOff(VmEntry entry, string what)
    {
        if (!VmPowerTransitions.AllowsConfigurationChange(entry.PowerState))
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"cannot {what} VM '{entry.Spec.Name}' while it is {VmDtoMapper.Describe(entry.PowerState)}: power it off first");
        }
    }

    private static void SetPowerState(VmEntry entry, VmPowerState state)
    {
        lock (entry.Gate)
        {
            entry.PowerState = state;
        }
    }

    private async Task<List<DiskSpec>> CreateDisksAsync(string folder, List<PlannedDisk> planned, CancellationToken cancellationToken)
    {
        var created = new List<DiskSpec>();
        foreach (var disk in planned)
        {
            var full = Path.Combine(folder, disk.Path);
            if (disk.SizeBytes is { } size)
            {
                await _qemuImg.CreateAsync(full, "qcow2", size, cancellationToken: cancellationToken);
                created.Add(new DiskSpec(disk.Path, size));
            }
            else
            {
                var info = await _qemuImg.InfoAsync(full, cancellationToken);
                created.Add(new DiskSpec(disk.Path, info.VirtualSizeBytes, info.Format));
            }
        }

        return created;
    }

    /// <summary>The launch description of a VM as its spec says; a built-in image's kernel is resolved only at power-on.</summary>
    private QemuLaunchConfig LaunchConfigFor(VmEntry entry)
    {
        var spec = entry.Spec;
        var accel = _acceleration.Decision;
        return new QemuLaunchConfig
        {
            Name = spec.Name,
            Uuid = spec.Uuid,
            Accelerator = accel.Mode,
            CpuModel = _acceleration.VmCpuModel,
            Cpus = spec.Cpus,
            MemoryMiB = spec.MemoryMiB,
            // A cloud-init seed goes last, read-only: the VM's own disks keep their device names (drive-disk0…).
            Disks = [.. spec.Disks.Select(d => new QemuDisk(ResolveDiskPath(entry, d), d.Format)),
                .. spec.Seed is { } seed ? [new QemuDisk(Path.GetFullPath(Path.Combine(entry.FolderPath, seed)), "raw", ReadOnly: true)] : Array.Empty<QemuDisk>()],
            Nics = spec.Nics.Select((n, i) => new QemuNic(n.Mac, n.Network, IsBridge(n.Network) ? _taps.NameFor(spec.Uuid, i) : null)).ToList(),
            Boot = spec.Boot.Kind,
            Kernel = spec.Boot.Kernel,
            Initrd = spec.Boot.Initrd,
            KernelArgs = spec.Boot.KernelArgs,
            Iso = spec.Boot.Iso,
            GuestAgent = spec.GuestAgent,
            Paths = entry.Paths,
        };
    }

    internal static bool IsBridge(string network) => network is not ("user" or "none");

    private static string ResolveDiskPath(VmEntry entry, DiskSpec disk) => Path.GetFullPath(Path.Combine(entry.FolderPath, disk.Path));

    private QemuRuntimePaths RuntimePaths(string id, string folder)
    {
        var run = Path.Combine(_options.DataDirectory, "run", id);
        return new QemuRuntimePaths(
            Path.Combine(run, "qmp.sock"),
            Path.Combine(run, "serial.sock"),
            Path.Combine(folder, VmFolder.SerialLogFile),
            Path.Combine(run, "vnc.sock"),
            Path.Combine(run, "qemu.pid"),
            Path.Combine(run, "qga.sock"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId} is inaccessible: {Reason}")]
    private static partial void LogInaccessible(ILogger logger, string vmId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId}: re-adopted QEMU pid {Pid}")]
    private static partial void LogAdopted(ILogger logger, string vmId, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: QEMU pid {Pid} is alive but its monitor is unreachable: {Reason}")]
    private static partial void LogAdoptFailed(ILogger logger, string vmId, int pid, string reason);
}
