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
/// powered off, which also flattens a linked clone; while it runs, the same convert of its images frozen under
/// temporary delta disks, merged back afterwards: one instant for all disks, the crash-consistent copy vSphere makes).
/// A linked clone makes a qcow2 overlay per disk on its parent's images, on the parent's datastore with a relative
/// backing path (so any host mounting that datastore can run it): a template's disks as they are, a VM's disks frozen
/// under new delta disks (see VmService.DeltaDisks). Its creation costs the same for any disk size. A template is
/// never powered on or changed in place; a parent (template or VM) is neither deleted nor moved nor turned back into
/// a VM while linked clones on this host depend on its images.
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
                if (datastore.Name != source.Registration.Datastore)
                {
                    throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"a linked clone lives on its parent's datastore '{source.Registration.Datastore}', not '{datastore.Name}' (make a full clone to place it elsewhere)", "datastore"));
                }

                if (source.Spec.Disks.Count == 0)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{source.Spec.Name}' has no disk to link to: make a full clone");
                }

                if (!source.Spec.Template && SnapshotTree.Load(source.FolderPath).Snapshots.Count is > 0 and var snapshots)
                {
                    throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{source.Spec.Name}' has {snapshots} snapshot(s): a linked clone freezes its disks under a new delta disk, where those snapshots could no longer be reverted (delete them first, or make a full clone, also of a snapshot with --snapshot)");
                }
            }

            var (state, instance) = PowerStateOf(source);
            var needed = request.Linked ? LinkedCloneMinimumBytes : FullCopyBytes(source);
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
                    ? await LinkedDisksAsync(source, state == VmPowerState.PoweredOff ? null : instance, folder, name, cancellationToken)
                    : fromSnapshot is not null
                        ? await ConvertSnapshotDisksAsync(source, SnapshotTree.Tag(fromSnapshot.Id), folder, name, cancellationToken)
                    : state == VmPowerState.PoweredOff
                        ? await ConvertDisksAsync(source, folder, name, cancellationToken)
                        : await CopyRunningDisksAsync(source, RunningInstance(source, instance), folder, name, cancellationToken);
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

    /// <summary>The VMs of this host whose disks are overlays on images of <paramref name="parent"/>'s folder (a
    /// template's disks, or a VM's frozen images under its delta disks).</summary>
    internal List<string> LinkedClonesOf(VmEntry parent)
    {
        var bases = OwnedImages(parent);
        lock (_vms)
        {
            return _vms.Values
                .Where(v => v != parent && (v.Spec.LinkedTemplate == parent.Spec.Uuid
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
            throw new DomainException(ErrorCodes.TemplateInUse, $"cannot {what}: {dependants.Count} linked clone(s) depend on the disks of '{entry.Spec.Name}': {string.Join(", ", dependants)} (delete them, or make full clones of them, first)");
        }
    }

    /// <summary>Disk-copying moves: a template with linked clones would leave them without a base, a linked clone's
    /// disks are only deltas.</summary>
    private void RequireStandalone(VmEntry entry, string what)
    {
        RequireNoLinkedClones(entry, $"move the disks of '{entry.Spec.Name}'");

        if (entry.Spec.Seed is not null)
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, $"VM '{entry.Spec.Name}' has a guest customization seed attached, which {what} would not bring along (remove it first: vm reconfigure --remove-customization)");
        }

        if (entry.Spec.LinkedTemplate is not null || entry.Spec.Disks.Any(d => d.Base is not null))
        {
            throw new DomainException(ErrorCodes.MigrationIncompatible, HasFrozenImages(entry)
                ? $"VM '{entry.Spec.Name}' runs on delta disks over images that linked clones were made from (or may still use), which {what} would not bring along (make a full clone to move it)"
                : $"VM '{entry.Spec.Name}' is a linked clone: its disks are overlays on its parent's images, which {what} would not bring along (make a full clone to move it)");
        }
    }

    private static void RequireNotTemplate(VmEntry entry, string what)
    {
        if (entry.Spec.Template)
        {
            throw new DomainException(ErrorCodes.VmIsTemplate, $"'{entry.Spec.Name}' is a template: it cannot be {what} (deploy a VM from it, or turn it into a VM first)");
        }
    }

    /// <summary>
    /// Bytes a full copy of <paramref name="source"/>'s disks writes at most: what its images hold through the whole
    /// backing chain (a full clone of a linked clone also copies what its parent holds), never more than the virtual
    /// size, plus headroom. Read from the qcow2 headers and file sizes: no qemu-img process on the clone's path.
    /// </summary>
    private static long FullCopyBytes(VmEntry source)
    {
        long needed = 0;
        foreach (var disk in source.Spec.Disks)
        {
            var path = ResolveDiskPath(source, disk);
            var virtualSize = VirtualSize(path, disk.Format);
            var held = disk.Format == "qcow2" ? Qcow2Header.Chain(path).Sum(f => new FileInfo(f).Length) : virtualSize;
            needed += Math.Min(held, virtualSize);
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

    /// <summary>
    /// A linked clone's disks: qcow2 overlays on the parent's images — a template's disks as they are (they never
    /// change), a VM's disks frozen under new delta disks first (the VM goes on writing to those, also while it runs).
    /// </summary>
    private async Task<List<DiskSpec>> LinkedDisksAsync(VmEntry parent, IVmInstance? instance, string folder, string name, CancellationToken cancellationToken)
    {
        var formats = parent.Spec.Disks.Select(d => d.Format).ToList();
        var sizes = parent.Spec.Disks.Select(d => d.SizeBytes).ToList();
        var bases = parent.Spec.Template
            ? parent.Spec.Disks.Select(d => ResolveDiskPath(parent, d)).ToList()
            : (await AddDeltaDisksAsync(parent, instance, cancellationToken)).Frozen;
        var disks = new List<DiskSpec>();
        for (var i = 0; i < bases.Count; i++)
        {
            var file = CloneDiskName(name, i);
            var backing = Path.GetRelativePath(folder, bases[i]);
            var format = formats[i];
            var image = bases[i];
            await RunImageToolAsync($"clone of VM '{parent.Spec.Name}'", () => _qemuImg.CreateOverlayAsync(Path.Combine(folder, file), backing, format, VirtualSize(image, format), cancellationToken));
            disks.Add(new DiskSpec(file, sizes[i], "qcow2", backing));
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

    private static IVmInstance RunningInstance(VmEntry source, IVmInstance? instance) =>
        instance ?? throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{source.Spec.Name}' is neither powered off nor running (its QEMU is not reachable): try again");

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
