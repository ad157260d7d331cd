using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Units;
using Hyperion.Domain.Vms;
using Hyperion.Host.Images;
using Hyperion.Host.Library;
using Hyperion.Hypervisor.Ovf;
using Hyperion.Hypervisor.Qemu.Images;

namespace Hyperion.Host.Vms;

/// <summary>
/// VMs and the content library: deploying a VM from a library item (its disks copied, an ISO attached), exporting a
/// powered-off VM as an OVA (OVF 1.0 descriptor, SHA-256 manifest, stream-optimized VMDKs, in a ustar archive, as
/// vSphere and VirtualBox read them), and which VMs use an item (an attached ISO).
/// </summary>
internal sealed partial class VmService
{
    public async Task<VmDto> DeployAsync(ContentLibrary library, string itemName, LibraryDeployRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(request);
        var item = library.Get(itemName);
        var errors = new List<DomainError>();
        if (VmSpecRules.ValidateName(request.Name) is { } nameError)
        {
            errors.Add(nameError);
        }

        var cpus = request.Cpus ?? item.Cpus ?? 1;
        var memory = request.MemoryMiB ?? item.MemoryMiB ?? 512;
        errors.AddRange(VmSpecRules.ValidateSizes(cpus, memory, _capacity.Current));
        long? blank = null;
        if (request.DiskSize is not null)
        {
            blank = ByteSize.TryParse(request.DiskSize, out var bytes) && bytes > 0 ? bytes : null;
            if (blank is null)
            {
                errors.Add(new DomainError(ErrorCodes.InvalidArgument, $"diskSize '{request.DiskSize}' is not a size such as 8G", "diskSize"));
            }
        }

        if (request.Image is not null and not ImageCatalog.Tiny)
        {
            errors.Add(new DomainError(ErrorCodes.ImageNotFound, $"image '{request.Image}': only the built-in 'tiny' boots alongside a library item", "image"));
        }

        if (errors.Count > 0)
        {
            throw new DomainException(errors);
        }

        var datastore = _datastores.Get(request.Datastore ?? item.Datastore);
        var itemFolder = library.FolderOf(item);
        var disks = item.Type == "iso" ? [] : item.Files;
        var needed = disks.Sum(f => f.SizeBytes) + (blank is null ? 0 : 1024 * 1024);
        needed += needed * SpaceHeadroomPercent / 100;
        var free = new DriveInfo(datastore.Path).AvailableFreeSpace;
        if (needed > free)
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{datastore.Name}' has {free / (1024 * 1024)} MiB free; a VM from '{item.Name}' needs {needed / (1024 * 1024)} MiB", "datastore"));
        }

        var image = request.Image ?? item.BootImage;
        if (image == ImageCatalog.Tiny)
        {
            _images.GetTiny();
        }

        var folder = await ReserveFolderAsync(datastore, request.Name, cancellationToken);
        VmDto created;
        try
        {
            var specs = new List<DiskSpec>();
            for (var i = 0; i < disks.Count; i++)
            {
                var file = CloneDiskName(request.Name, i);
                await RunImageToolAsync($"library item '{item.Name}'", () => _qemuImg.ConvertAsync(Path.Combine(itemFolder, disks[i].Name), "qcow2", Path.Combine(folder, file), "qcow2", cancellationToken: cancellationToken));
                await FlushToDiskAsync(Path.Combine(folder, file));
                specs.Add(new DiskSpec(file, disks[i].VirtualSizeBytes ?? 0));
            }

            if (blank is { } size)
            {
                var file = CloneDiskName(request.Name, specs.Count);
                await RunImageToolAsync($"library item '{item.Name}'", () => _qemuImg.CreateAsync(Path.Combine(folder, file), "qcow2", size, cancellationToken: cancellationToken));
                specs.Add(new DiskSpec(file, size));
            }

            var boot = image == ImageCatalog.Tiny
                ? new BootSpec(BootKind.Kernel, Image: ImageCatalog.Tiny, KernelArgs: request.KernelArgs ?? item.KernelArgs)
                : item.Type == "iso"
                    ? new BootSpec(BootKind.Cdrom, Iso: Path.Combine(itemFolder, item.Files[0].Name))
                    : new BootSpec(BootKind.Disk);
            if (boot.Kind == BootKind.Kernel && item.Type == "iso")
            {
                boot = boot with { Iso = Path.Combine(itemFolder, item.Files[0].Name) };
            }

            var spec = new VmSpec
            {
                Name = request.Name,
                Uuid = Guid.NewGuid(),
                Cpus = cpus,
                MemoryMiB = memory,
                Disks = specs,
                Nics = (item.Networks ?? []).Select(n => new NicSpec(MacAddresses.FromRandom(RandomNumberGenerator.GetBytes(3)), KnownNetwork(n))).ToList(),
                Boot = boot,
            };
            VmFolder.Save(folder, spec);
            var entry = await RegisterNewAsync(datastore.Name, folder, spec, cancellationToken);
            _events.Publish(EventTypes.VmCreated, $"deployed from library item '{item.Name}' ({item.Type}) on datastore {datastore.Name}", entry.Id, spec.Name);
            created = VmDtoMapper.ToDto(entry);
        }
        catch
        {
            TryDeleteFolder(folder);
            throw;
        }

        return request.PowerOn ? await PowerAsync(created.Id, VmPowerOperation.PowerOn, null, cancellationToken) : created;
    }

    /// <summary>The VMs that use a library item's files (an ISO attached from the library).</summary>
    public IReadOnlyList<string> LibraryItemUsers(ContentLibrary library, string itemName)
    {
        ArgumentNullException.ThrowIfNull(library);
        var folder = library.FolderOf(library.Get(itemName)) + Path.DirectorySeparatorChar;
        lock (_vms)
        {
            return _vms.Values.Where(v => v.Spec.Boot.Iso is { } iso && iso.StartsWith(folder, StringComparison.Ordinal)).Select(v => v.Spec.Name).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>
    /// Writes the powered-off VM as an OVA to <paramref name="output"/>: the descriptor first (as the OVA format
    /// requires), then the manifest, then one stream-optimized VMDK per disk (a linked clone's disks flattened).
    /// </summary>
    public async Task ExportOvaAsync(string idOrName, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var entry = Find(idOrName);
        await entry.OperationLock.WaitAsync(cancellationToken);
        var scratch = Path.Combine(Path.GetDirectoryName(entry.FolderPath)!, $".export-{Guid.NewGuid():N}");
        try
        {
            RequireNotMigrating(entry, "export");
            RequirePoweredOff(entry, "export");
            var spec = entry.Spec;
            Directory.CreateDirectory(scratch);
            var disks = new List<OvfDisk>();
            for (var i = 0; i < spec.Disks.Count; i++)
            {
                var file = string.Create(CultureInfo.InvariantCulture, $"{spec.Name}-disk{i + 1}.vmdk");
                var source = spec.Disks[i];
                await RunImageToolAsync($"export of VM '{spec.Name}'", () => _qemuImg.ConvertAsync(ResolveDiskPath(entry, source), source.Format, Path.Combine(scratch, file), "vmdk", "subformat=streamOptimized", cancellationToken));
                disks.Add(new OvfDisk(file, (await _qemuImg.InfoAsync(ResolveDiskPath(entry, source), cancellationToken)).VirtualSizeBytes));
            }

            var descriptor = new OvfDescriptor
            {
                Name = spec.Name,
                Cpus = spec.Cpus,
                MemoryMiB = spec.MemoryMiB,
                Disks = disks,
                Networks = spec.Nics.Select(n => n.Network).ToList(),
                BootImage = spec.Boot.Kind == BootKind.Kernel ? spec.Boot.Image : null,
                KernelArgs = spec.Boot.Kind == BootKind.Kernel && spec.Boot.Image is not null ? spec.Boot.KernelArgs : null,
            };
            var ovfName = $"{spec.Name}.ovf";
            await File.WriteAllTextAsync(Path.Combine(scratch, ovfName), descriptor.ToXml(), new UTF8Encoding(false), cancellationToken);
            var manifest = new StringBuilder();
            foreach (var file in disks.Select(d => d.File).Prepend(ovfName))
            {
                await using var stream = File.OpenRead(Path.Combine(scratch, file));
                manifest.Append(CultureInfo.InvariantCulture, $"SHA256({file})= {Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken))}\n");
            }

            var manifestName = $"{spec.Name}.mf";
            await File.WriteAllTextAsync(Path.Combine(scratch, manifestName), manifest.ToString(), new UTF8Encoding(false), cancellationToken);
            await using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
            {
                foreach (var file in new[] { ovfName, manifestName }.Concat(disks.Select(d => d.File)))
                {
                    await tar.WriteEntryAsync(Path.Combine(scratch, file), file, cancellationToken);
                }
            }

            _events.Publish(EventTypes.VmExported, $"exported as OVA ({disks.Count} disk(s))", entry.Id, spec.Name);
        }
        finally
        {
            entry.OperationLock.Release();
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>An OVF's network name if this host has it (a bridge, <c>user</c>, <c>none</c>), else <c>none</c>: the NIC stays, unconnected.</summary>
    private static string KnownNetwork(string network) =>
        network is "user" or "none" || (network.Length > 0 && !network.Contains('/', StringComparison.Ordinal) && Directory.Exists($"/sys/class/net/{network}/bridge"))
            ? network
            : "none";
}
