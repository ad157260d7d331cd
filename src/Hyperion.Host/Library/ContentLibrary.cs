using System.Buffers.Binary;
using System.Formats.Tar;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Library;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Host.Datastores;
using Hyperion.Host.Events;
using Hyperion.Hypervisor.Ovf;
using Hyperion.Hypervisor.Qemu.Images;

namespace Hyperion.Host.Library;

/// <summary>
/// The host's content library: items in <c>library/&lt;item&gt;/</c> of a datastore, each with an <c>item.json</c>.
/// Disk images of any format qemu-img reads (qcow2, raw, vmdk, vdi, vhdx, vpc) are kept as qcow2, ISOs as they are,
/// OVA packages as their disks (qcow2) plus the hardware their OVF describes. An upload is written and converted in a
/// hidden folder next to the items and published by one rename, so a failed import leaves nothing.
/// Uploaded images are checked before qemu-img opens them for real: no backing files, no external data files, no
/// VMDK descriptors naming other files (all would let an upload read files of the host).
/// </summary>
internal sealed class ContentLibrary(DatastoreCatalog datastores, QemuImg qemuImg, HostEventLog events, TimeProvider time)
{
    public const string FolderName = "library";
    public const string ItemFile = "item.json";

    /// <summary>Disk formats accepted from uploads (qemu-img's names).</summary>
    private static readonly string[] DiskFormats = ["qcow2", "raw", "vmdk", "vdi", "vhdx", "vpc"];

    /// <summary>Headroom on top of an upload for its converted copy.</summary>
    private const int ConversionHeadroomPercent = 10;

    private static readonly byte[] Qcow2Magic = [(byte)'Q', (byte)'F', (byte)'I', 0xfb];

    /// <summary>Serialises publishing and deleting items (both one rename or delete).</summary>
    private readonly Lock _gate = new();

    public IReadOnlyList<LibraryItemDto> List() =>
        datastores.All.SelectMany(d => ItemsOf(d)).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();

    public LibraryItemDto Get(string name) =>
        List().FirstOrDefault(i => i.Name == name)
        ?? throw new DomainException(new DomainError(ErrorCodes.LibraryItemNotFound, $"the content library has no item '{name}'", "item"));

    /// <summary>The folder holding an item's files.</summary>
    public string FolderOf(LibraryItemDto item) => Path.Combine(datastores.Get(item.Datastore).Path, FolderName, item.Name);

    /// <summary>
    /// Imports <paramref name="content"/> as item <paramref name="name"/>: <paramref name="type"/> <c>disk</c>,
    /// <c>iso</c> or <c>ova</c> (null: from <paramref name="fileName"/>'s extension, else disk).
    /// </summary>
    public async Task<LibraryItemDto> ImportAsync(string? name, string? type, string? datastoreName, string? fileName, Stream content, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        name ??= fileName is null ? null : Path.GetFileNameWithoutExtension(fileName);
        if (VmSpecRules.ValidateName(name) is { } invalid)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"item name: {invalid.Message}", "name"));
        }

        type ??= Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant() switch
        {
            ".iso" => "iso",
            ".ova" => "ova",
            _ => "disk",
        };
        if (type is not ("disk" or "iso" or "ova"))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"type '{type}' is not one of disk, iso, ova", "type"));
        }

        var datastore = datastores.Get(datastoreName);
        var root = Path.Combine(datastore.Path, FolderName);
        Directory.CreateDirectory(root);
        var target = Path.Combine(root, name!);
        RequireFree(name!);
        var free = new DriveInfo(root).AvailableFreeSpace;
        if (length is { } size && size * (200 + ConversionHeadroomPercent) / 100 > free)
        {
            throw new DomainException(new DomainError(ErrorCodes.DatastoreNoSpace, $"datastore '{datastore.Name}' has {free / (1024 * 1024)} MiB free; importing {size / (1024 * 1024)} MiB needs room for the upload and its converted copy", "datastore"));
        }

        var staging = Path.Combine(root, $".incoming-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var upload = Path.Combine(staging, ".upload");
            await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, 1 << 20, cancellationToken);
            }

            var item = type switch
            {
                "iso" => ImportIso(name!, datastore.Name, staging, upload, fileName),
                "ova" => await ImportOvaAsync(name!, datastore.Name, staging, upload, fileName, cancellationToken),
                _ => await ImportDiskAsync(name!, datastore.Name, staging, upload, fileName, cancellationToken),
            };
            File.Delete(upload);
            await File.WriteAllTextAsync(Path.Combine(staging, ItemFile), JsonSerializer.Serialize(item, JsonDefaults.Indented), cancellationToken);
            lock (_gate)
            {
                RequireFree(name!);
                Directory.Move(staging, target);
            }

            events.Publish(EventTypes.LibraryItemImported, $"library item '{item.Name}' ({item.Type}) imported on datastore {datastore.Name}{(fileName is null ? string.Empty : $" from {fileName}")}", null, null);
            return item;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Deletes an item; <paramref name="usedBy"/> names the VMs that still use it (refused then).</summary>
    public void Delete(string name, IReadOnlyList<string> usedBy)
    {
        var item = Get(name);
        if (usedBy.Count > 0)
        {
            throw new DomainException(ErrorCodes.LibraryItemInUse, $"library item '{name}' is used by VM(s) {string.Join(", ", usedBy)}: detach it first");
        }

        lock (_gate)
        {
            Directory.Delete(FolderOf(item), recursive: true);
        }

        events.Publish(EventTypes.LibraryItemDeleted, $"library item '{name}' deleted", null, null);
    }

    private void RequireFree(string name)
    {
        if (List().Any(i => i.Name == name))
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryDuplicateName, $"the content library already has an item '{name}'", "name"));
        }
    }

    private IEnumerable<LibraryItemDto> ItemsOf(Datastore datastore)
    {
        var root = Path.Combine(datastore.Path, FolderName);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            LibraryItemDto? item = null;
            try
            {
                item = JsonSerializer.Deserialize<LibraryItemDto>(File.ReadAllText(Path.Combine(folder, ItemFile)), JsonDefaults.Options);
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                // Not an item (or a damaged one): not listed.
            }

            if (item is not null)
            {
                yield return item with { Name = Path.GetFileName(folder), Datastore = datastore.Name };
            }
        }
    }

    private LibraryItemDto ImportIso(string name, string datastore, string staging, string upload, string? fileName)
    {
        // ISO 9660: "CD001" at byte 0x8001 of the first volume descriptor.
        var header = new byte[0x8006];
        using (var stream = File.OpenRead(upload))
        {
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan(0x8001, 5).SequenceEqual("CD001"u8))
            {
                throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{fileName ?? name}' is not an ISO 9660 image (no CD001 volume descriptor)", "content"));
            }
        }

        var file = $"{name}.iso";
        File.Move(upload, Path.Combine(staging, file));
        return new LibraryItemDto(name, "iso", datastore, [new LibraryFileDto(file, "iso", new FileInfo(Path.Combine(staging, file)).Length)], time.GetUtcNow()) { Source = fileName };
    }

    private async Task<LibraryItemDto> ImportDiskAsync(string name, string datastore, string staging, string upload, string? fileName, CancellationToken cancellationToken)
    {
        var disk = await ConvertDiskAsync(upload, Path.Combine(staging, "disk0.qcow2"), fileName ?? name, cancellationToken);
        return new LibraryItemDto(name, "disk", datastore, [disk], time.GetUtcNow()) { Source = fileName is null ? disk.Format : $"{fileName} ({disk.Format})" };
    }

    /// <summary>
    /// An OVA is a tar of the OVF descriptor, an optional manifest and the disks. Only plain files with plain names are
    /// taken; each disk the descriptor names must be in the archive; each becomes a qcow2 disk of the item.
    /// </summary>
    private async Task<LibraryItemDto> ImportOvaAsync(string name, string datastore, string staging, string upload, string? fileName, CancellationToken cancellationToken)
    {
        var unpacked = Path.Combine(staging, ".ova");
        Directory.CreateDirectory(unpacked);
        string? descriptor = null;
        try
        {
            await using var archive = File.OpenRead(upload);
            await using var reader = new TarReader(archive);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    continue;
                }

                var entryName = entry.Name;
                if (entryName.Length == 0 || entryName.Contains('/', StringComparison.Ordinal) || entryName.Contains('\\', StringComparison.Ordinal) || entryName.StartsWith('.'))
                {
                    throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"the OVA holds '{entryName}': only plain file names are allowed", "content"));
                }

                if (entryName.EndsWith(".ovf", StringComparison.OrdinalIgnoreCase))
                {
                    if (entry.Length > OvfDescriptor.MaxDescriptorBytes)
                    {
                        throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"the OVF descriptor '{entryName}' is too large", "content"));
                    }

                    descriptor ??= entryName;
                }

                await entry.ExtractToFileAsync(Path.Combine(unpacked, entryName), overwrite: false, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{fileName ?? name}' is not an OVA (tar) package: {ex.Message}", "content"));
        }
        catch (IOException ex) when (ex is not EndOfStreamException && File.Exists(upload))
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{fileName ?? name}' could not be unpacked: {ex.Message}", "content"));
        }

        if (descriptor is null)
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{fileName ?? name}' holds no .ovf descriptor", "content"));
        }

        OvfDescriptor ovf;
        try
        {
            ovf = OvfDescriptor.Parse(await File.ReadAllTextAsync(Path.Combine(unpacked, descriptor), cancellationToken));
        }
        catch (InvalidDataException ex)
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"{descriptor}: {ex.Message}", "content"));
        }

        var files = new List<LibraryFileDto>();
        for (var i = 0; i < ovf.Disks.Count; i++)
        {
            var href = ovf.Disks[i].File;
            var source = Path.Combine(unpacked, href);
            if (href.Contains('/', StringComparison.Ordinal) || !File.Exists(source))
            {
                throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"{descriptor} names disk file '{href}', which the package does not hold", "content"));
            }

            files.Add(await ConvertDiskAsync(source, Path.Combine(staging, $"disk{i}.qcow2"), href, cancellationToken));
            File.Delete(source);
        }

        Directory.Delete(unpacked, recursive: true);
        return new LibraryItemDto(name, "ovf", datastore, files, time.GetUtcNow())
        {
            Cpus = ovf.Cpus,
            MemoryMiB = ovf.MemoryMiB,
            Networks = ovf.Networks,
            BootImage = ovf.BootImage,
            KernelArgs = ovf.KernelArgs,
            Source = $"{fileName ?? "OVA"} (virtual system '{ovf.Name}')",
        };
    }

    /// <summary>Checks an uploaded image's format and that it refers to no other file, then converts it to qcow2.</summary>
    private async Task<LibraryFileDto> ConvertDiskAsync(string source, string target, string what, CancellationToken cancellationToken)
    {
        var format = await ProbeSafeFormatAsync(source, what, cancellationToken);
        try
        {
            await qemuImg.ConvertAsync(source, format, target, "qcow2", cancellationToken: cancellationToken);
            var info = await qemuImg.InfoAsync(target, cancellationToken);
            return new LibraryFileDto(Path.GetFileName(target), "qcow2", new FileInfo(target).Length, info.VirtualSizeBytes);
        }
        catch (QemuImgException ex)
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{what}' could not be converted ({format}): {ex.Message}", "content"));
        }
    }

    private async Task<string> ProbeSafeFormatAsync(string path, string what, CancellationToken cancellationToken)
    {
        var header = new byte[104];
        int read;
        await using (var stream = File.OpenRead(path))
        {
            read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }

        if (read >= 4 && header.AsSpan(0, 4).SequenceEqual(Qcow2Magic))
        {
            var version = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            if (BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)) != 0)
            {
                throw Unsafe(what, "it is a qcow2 overlay with a backing file");
            }

            if (version >= 3 && read >= 80 && (BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(72)) & 0x4) != 0)
            {
                throw Unsafe(what, "its data is in an external file");
            }
        }
        else if (read >= 4 && header.AsSpan(0, 4).SequenceEqual("# Di"u8))
        {
            throw Unsafe(what, "it is a VMDK descriptor naming other files (upload a monolithic or stream-optimized VMDK)");
        }

        QemuImageInfo info;
        try
        {
            info = await qemuImg.InfoAsync(path, cancellationToken);
        }
        catch (QemuImgException ex)
        {
            throw new DomainException(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{what}' is not a disk image qemu-img reads: {ex.Message}", "content"));
        }

        if (!DiskFormats.Contains(info.Format) || info.BackingFilename is not null)
        {
            throw Unsafe(what, info.BackingFilename is not null ? "it has a backing file" : $"format '{info.Format}' is not one of {string.Join(", ", DiskFormats)}");
        }

        if (info.Format == "vmdk" && (read < 4 || !header.AsSpan(0, 4).SequenceEqual("KDMV"u8)))
        {
            throw Unsafe(what, "it is a VMDK descriptor naming other files (upload a monolithic or stream-optimized VMDK)");
        }

        return info.Format;
    }

    private static DomainException Unsafe(string what, string why) =>
        new(new DomainError(ErrorCodes.LibraryInvalidContent, $"'{what}' is refused: {why}", "content"));
}
