using System.Globalization;
using System.Security.Cryptography;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Host.Vms;

/// <summary>
/// Clones and templates. A full clone copies every disk into a new VM folder (qemu-img convert when the source is
/// powered off, which also flattens a linked clone; QEMU backup jobs of all disks at one instant while it runs, the
/// crash-consistent copy vSphere makes). A linked clone makes a qcow2 overlay per disk on a template's disks, on the
/// template's datastore with a relative backing path (so any host mounting that datastore can run it): its creation
/// costs the same for any disk size. A template is never powered on or changed in place, and neither deleted nor
/// moved nor turned back into a VM while linked clones on this host depend on its disks.
/// </summary>
internal sealed partial class VmService
{
    /// <summary>Headroom on top of the bytes a full copy writes (qcow2 metadata; the source may grow while it runs).</summary>
    private const int SpaceHeadroomPercent = 5;

    /// <summary>What a linked clone's overlays need at least (metadata and the first writes).</summary>
    private const long LinkedCloneMinimumBytes = 16L * 1024 * 1024;

    public async Task<VmDto> CloneAsync(string idOrName, VmCloneRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (VmSpecRules.ValidateName(request.Name) is { } nameError)
        {
            throw new DomainException(nameError);
        }

        var source = Find(idOrName);
        var datastore = _datastores.Get(request.Datastore ?? source.Registration.Datastore);
        var seed = request.Customization is { } customization ? PlanCustomization(customization) : null;
        var name = request.Name;
        string folder;
        VmDto clone;
        await source.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(source, "clone");
            var fromSnapshot = request.Snapshot is { } wanted ? SnapshotTree.Load(source.FolderPath).Find(wanted, source.Spec.Name) : null;
            if (fromSnapshot is not null && request.Linked)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "a clone from a snapshot is a full clone (internal snapshots cannot back another disk): drop --linked, or make a template", "linked"));
            }

            if (request.Linked)
            {
                if (!source.Spec.Template)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{source.Spec.Name}' is not a template: a linked clone is made on a template's disks, which never change (mark it as a template first, or make a full clone)");
                }

                if (datastore.Name != source.Registration.Datastore)
                {
                    throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"a linked clone lives on its template's datastore '{source.Registration.Datastore}', not '{datastore.Name}' (make a full clone to place it elsewhere)", "datastore"));
                }
            }

            if (source.Spec.Disks.Count == 0 && request.Linked)
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"template '{source.Spec.Name}' has no disk to link to: make a full clone");
            }

            var (state, instance) = PowerStateOf(source);
            var needed = request.Linked ? LinkedCloneMinimumBytes : await FullCopyBytesAsync(source, cancellationToken);
            Directory.CreateDirectory(datastore.Path);
            var free = new DriveInfo(datastore.Path).AvailableFreeSpace;
            if (needed > free)
            {
                throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{datastore.Name}' has {free / (1024 * 1024)} MiB free; a {(request.Linked ? "linked" : "full")} clone of VM '{source.Spec.Name}' needs {needed / (1024 * 1024)} MiB", "datastore"));
            }

            folder = await ReserveFolderAsync(datastore, name, cancellationToken);
            var started = _time.GetTimestamp();
            try
            {
                var disks = request.Linked
                    ? await CreateOverlaysAsync(source, folder, name, cancellationToken)
                    : fromSnapshot is not null
                        ? await ConvertSnapshotDisksAsync(source, SnapshotTree.Tag(fromSnapshot.Id), folder, name, cancellationToken)
                    : state == VmPowerState.PoweredOff
                        ? await ConvertDisksAsync(source, folder, name, cancellationToken)
                        : await BackupDisksAsync(source, instance, folder, name, cancellationToken);
                var spec = source.Spec with
                {
                    Name = name,
                    Uuid = Guid.NewGuid(),
                    Disks = disks,
                    Nics = source.Spec.Nics.Select(n => n with { Mac = MacAddresses.FromRandom(RandomNumberGenerator.GetBytes(3)) }).ToList(),
                    Template = false,
                    LinkedTemplate = request.Linked ? source.Spec.Uuid : null,
                    Seed = null,
                };
                if (seed is not null)
                {
                    spec = spec with { Seed = await WriteSeedAsync(seed, spec, folder, cancellationToken) };
                }

                VmFolder.Save(folder, spec);
                var entry = await RegisterNewAsync(datastore.Name, folder, spec, cancellationToken);
                var kind = request.Linked ? "linked clone"
                    : fromSnapshot is not null ? $"full clone of snapshot '{fromSnapshot.Name}'"
                    : state == VmPowerState.PoweredOff ? "full clone" : "full clone of the running VM (crash-consistent)";
                _events.Publish(EventTypes.VmCloned, string.Create(CultureInfo.InvariantCulture, $"{kind} of '{source.Spec.Name}' on datastore {datastore.Name} in {_time.GetElapsedTime(started).TotalMilliseconds:F0} ms{(seed is null ? string.Empty : ", guest customization attached")}"), entry.Id, name);
                clone = VmDtoMapper.ToDto(entry);
            }
            catch
            {
                // Nothing half-made: the new folder goes (the source is untouched), nothing was registered.
                TryDeleteFolder(folder);
                throw;
            }
        }
        finally
        {
            source.OperationLock.Release();
        }

        return request.PowerOn ? await PowerAsync(clone.Id, VmPowerOperation.PowerOn, null, cancellationToken) : clone;
    }

    /// <summary>vSphere's MarkAsTemplate (<paramref name="template"/> true) and MarkAsVirtualMachine.</summary>
    public async Task<VmDto> MarkTemplateAsync(string idOrName, bool template, CancellationToken cancellationToken)
    {
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        try
        {
            RequireNotMigrating(entry, template ? "mark as template" : "turn into a VM");
            if (entry.Spec.Template == template)
            {
                return VmDtoMapper.ToDto(entry);
            }

            if (template)
            {
                RequirePoweredOff(entry, "mark as template");
                if (SnapshotTree.Load(entry.FolderPath).Snapshots.Count is > 0 and var count)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{entry.Spec.Name}' has {count} snapshot(s): a template's disks never change, so delete them (or revert and delete) before marking it as a template");
                }
            }
            else
            {
                RequireNoLinkedClones(entry, "turn it back into a VM (its disks would change under them)");
            }

            var updated = entry.Spec with { Template = template };
            VmFolder.Save(entry.FolderPath, updated);
            entry.Spec = updated;
            _events.Publish(template ? EventTypes.VmMarkedTemplate : EventTypes.VmMarkedVm, template ? "marked as template" : "turned into a virtual machine", entry.Id, updated.Name);
            return VmDtoMapper.ToDto(entry);
        }
        finally
        {
            entry.OperationLock.Release();
        }
    }

    /// <summary>The VMs of this host whose disks are overlays on <paramref name="template"/>'s disks.</summary>
    internal List<string> LinkedClonesOf(VmEntry template)
    {
        var bases = template.Spec.Disks.Select(d => ResolveDiskPath(template, d)).ToHashSet(StringComparer.Ordinal);
        lock (_vms)
        {
            return _vms.Values
                .Where(v => v != template && (v.Spec.LinkedTemplate == template.Spec.Uuid
                    || v.Spec.Disks.Any(d => d.Base is { } b && bases.Contains(Path.GetFullPath(Path.Combine(v.FolderPath, b))))))
                .Select(v => v.Spec.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    private void RequireNoLinkedClones(VmEntry entry, string what)
    {
        var dependants = LinkedClonesOf(entry);
        if (dependants.Count > 0)
        {
            throw new DomainException(ErrorCodes.TemplateInUse, $"cannot {what}: {dependants.Count} linked clone(s) depend on the disks of '{entry.Spec.Name}': {string.Join(", ", dependants)}");
        }
    }

    /// <summary>Disk-copying moves: a template with linked clones would leave them without a base, a linked clone's
    /// disks are only deltas.</summary>
    private void RequireStandalone(VmEntry entry, string what)
    {
        if (entry.Spec.Template)
        {
            RequireNoLinkedClones(entry, $"move the disks of template '{entry.Spec.Name}'");
        }

        if (entry.Spec.Seed is not null)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"VM '{entry.Spec.Name}' has a guest customization seed attached, which {what} would not bring along (remove it first: vm reconfigure --remove-customization)");
        }

        if (entry.Spec.LinkedTemplate is not null || entry.Spec.Disks.Any(d => d.Base is not null))
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"VM '{entry.Spec.Name}' is a linked clone: its disks are overlays on its template's disks, which {what} would not bring along (make a full clone to move it)");
        }
    }

    private static void RequireNotTemplate(VmEntry entry, string what)
    {
        if (entry.Spec.Template)
        {
            throw new DomainException(ErrorCodes.VmIsTemplate, $"'{entry.Spec.Name}' is a template: it cannot be {what} (deploy a VM from it, or turn it into a VM first)");
        }
    }

    /// <summary>Bytes a full copy of <paramref name="source"/>'s disks writes: what is allocated (raw: all), plus headroom.</summary>
    private async Task<long> FullCopyBytesAsync(VmEntry source, CancellationToken cancellationToken)
    {
        long needed = 0;
        foreach (var disk in source.Spec.Disks)
        {
            // Through the whole backing chain: a full clone of a linked clone also copies what its template holds.
            var info = await _qemuImg.InfoAsync(ResolveDiskPath(source, disk), cancellationToken);
            var allocated = disk.Format == "raw" ? info.VirtualSizeBytes : info.ActualSizeBytes ?? info.VirtualSizeBytes;
            if (disk.Base is not null)
            {
                allocated = info.VirtualSizeBytes;
            }

            needed += allocated;
        }

        return needed + (needed * SpaceHeadroomPercent / 100);
    }

    /// <summary>Creates the new VM's folder, refusing a name or folder already taken (checked again at registration).</summary>
    private async Task<string> ReserveFolderAsync(Datastores.Datastore datastore, string name, CancellationToken cancellationToken)
    {
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
            return folder;
        }
        finally
        {
            _inventoryLock.Release();
        }
    }

    private async Task<VmEntry> RegisterNewAsync(string datastore, string folder, VmSpec spec, CancellationToken cancellationToken)
    {
        await _inventoryLock.WaitAsync(cancellationToken);
        try
        {
            EnsureNameFree(spec.Name);
            var registration = _inventory.Add(datastore, Path.GetFileName(folder));
            var entry = new VmEntry(registration, folder, spec, RuntimePaths(registration.Id, folder));
            lock (_vms)
            {
                _vms[entry.Id] = entry;
            }

            return entry;
        }
        finally
        {
            _inventoryLock.Release();
        }
    }

    private static string CloneDiskName(string name, int index) => string.Create(CultureInfo.InvariantCulture, $"{name}-disk{index}.qcow2");

    private async Task<List<DiskSpec>> CreateOverlaysAsync(VmEntry template, string folder, string name, CancellationToken cancellationToken)
    {
        var disks = new List<DiskSpec>();
        for (var i = 0; i < template.Spec.Disks.Count; i++)
        {
            var disk = template.Spec.Disks[i];
            var file = CloneDiskName(name, i);
            var backing = Path.GetRelativePath(folder, ResolveDiskPath(template, disk));
            await RunImageToolAsync($"clone of VM '{template.Spec.Name}'", () => _qemuImg.CreateAsync(Path.Combine(folder, file), "qcow2", 0, backing, disk.Format, cancellationToken));
            disks.Add(new DiskSpec(file, disk.SizeBytes, "qcow2", backing));
        }

        return disks;
    }

    private async Task<List<DiskSpec>> ConvertDisksAsync(VmEntry source, string folder, string name, CancellationToken cancellationToken)
    {
        var disks = new List<DiskSpec>();
        for (var i = 0; i < source.Spec.Disks.Count; i++)
        {
            var disk = source.Spec.Disks[i];
            var file = CloneDiskName(name, i);
            await RunImageToolAsync($"clone of VM '{source.Spec.Name}'", () => _qemuImg.ConvertAsync(ResolveDiskPath(source, disk), disk.Format, Path.Combine(folder, file), "qcow2", cancellationToken: cancellationToken));
            await FlushToDiskAsync(Path.Combine(folder, file));
            disks.Add(new DiskSpec(file, disk.SizeBytes, "qcow2"));
        }

        return disks;
    }

    private async Task<List<DiskSpec>> ConvertSnapshotDisksAsync(VmEntry source, string tag, string folder, string name, CancellationToken cancellationToken)
    {
        var disks = new List<DiskSpec>();
        for (var i = 0; i < source.Spec.Disks.Count; i++)
        {
            var disk = source.Spec.Disks[i];
            var file = CloneDiskName(name, i);
            await RunImageToolAsync($"clone of VM '{source.Spec.Name}'", () => _qemuImg.ConvertSnapshotAsync(ResolveDiskPath(source, disk), disk.Format, tag, Path.Combine(folder, file), "qcow2", cancellationToken));
            await FlushToDiskAsync(Path.Combine(folder, file));
            disks.Add(new DiskSpec(file, (await _qemuImg.InfoAsync(Path.Combine(folder, file), cancellationToken)).VirtualSizeBytes, "qcow2"));
        }

        return disks;
    }

    private async Task<List<DiskSpec>> BackupDisksAsync(VmEntry source, IVmInstance? instance, string folder, string name, CancellationToken cancellationToken)
    {
        if (instance is not IVmDiskBackup backup || !instance.HasMonitor)
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{source.Spec.Name}': its QEMU cannot copy its disks while it runs (no monitor, or a driver without it): power it off to clone it");
        }

        var disks = new List<DiskSpec>();
        var targets = new List<string>();
        for (var i = 0; i < source.Spec.Disks.Count; i++)
        {
            var disk = source.Spec.Disks[i];
            var file = CloneDiskName(name, i);
            var info = await _qemuImg.InfoAsync(ResolveDiskPath(source, disk), cancellationToken);
            await RunImageToolAsync($"clone of VM '{source.Spec.Name}'", () => _qemuImg.CreateAsync(Path.Combine(folder, file), "qcow2", info.VirtualSizeBytes, cancellationToken: cancellationToken));
            targets.Add(Path.Combine(folder, file));
            disks.Add(new DiskSpec(file, info.VirtualSizeBytes, "qcow2"));
        }

        if (disks.Count == 0)
        {
            return disks;
        }

        try
        {
            await backup.BackupDisksAsync(source.Spec.Disks.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"drive-disk{i}")).ToList(), targets, cancellationToken);
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
        {
            throw new DomainException(ErrorCodes.HypervisorError, $"VM '{source.Spec.Name}': QEMU could not copy its disks: {ex.Message}");
        }

        return disks;
    }

    /// <summary>qemu-img convert leaves its output in the page cache: the copy is made durable before the VM that owns it
    /// is registered, so a host crash cannot leave a registered clone with a partial disk.</summary>
    private static async Task FlushToDiskAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        await Task.Run(() => file.Flush(flushToDisk: true));
    }

    /// <summary>Runs a qemu-img step of a clone, deploy or export; its failure is a hypervisor error saying what it was doing.</summary>
    private static async Task RunImageToolAsync(string doing, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (QemuImgException ex)
        {
            throw new DomainException(ErrorCodes.HypervisorError, $"{doing}: {ex.Message}");
        }
    }

    private void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(_logger, folder, ex.Message);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "could not remove {Folder}: {Reason}")]
    private static partial void LogCleanupFailed(Microsoft.Extensions.Logging.ILogger logger, string folder, string reason);
}
