using System.Globalization;
using Hyperion.Contracts.Events;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Host.Vms;

/// <summary>
/// Delta disks (vSphere's <c>-000001.vmdk</c>): a VM's disk image is frozen by giving the VM a new, empty qcow2 overlay
/// on top of it (<c>NAME-disk0-000001.qcow2</c>, backing path relative). A frozen image never changes again, so it can
/// be copied while the VM runs (a full clone at <c>qemu-img convert</c> speed, the overlay then merged back: an active
/// commit) or serve as the base of linked clones (the overlay stays; the VM becomes the parent of its clones and its
/// files are not deleted while they depend on them).
/// <para>Order of writes, so that no crash loses data: the overlay file is created empty, then the VM's spec names it,
/// then QEMU switches to it. A crash before the switch leaves a spec naming an empty overlay on the image QEMU still
/// writes — which reads the same. Whenever QEMU's active images differ from the spec (an agent restart after a
/// crash mid-way), QEMU is right and the spec follows it (<see cref="SyncDisksWithQemuAsync"/>).</para>
/// </summary>
internal sealed partial class VmService
{
    private static string DeviceOf(int disk) => string.Create(CultureInfo.InvariantCulture, $"drive-disk{disk}");

    /// <summary>
    /// Gives every disk of <paramref name="entry"/> a new empty overlay (live, in one QEMU transaction, when
    /// <paramref name="instance"/> runs). Returns the frozen images (full paths) and, for a running VM, QEMU's node
    /// names of them. On failure the VM's spec and files are as before.
    /// </summary>
    private async Task<(IReadOnlyList<string> Frozen, IReadOnlyList<string>? Nodes, VmSpec Before)> AddDeltaDisksAsync(VmEntry entry, IVmInstance? instance, CancellationToken cancellationToken)
    {
        var before = entry.Spec;
        var live = instance as IVmDiskOverlays;
        if (instance is not null && (live is null || !instance.HasMonitor))
        {
            throw new DomainException(ErrorCodes.VmInvalidState, $"VM '{before.Name}': its QEMU cannot switch disks while it runs (no monitor, or a driver without it): power it off first");
        }

        var frozen = before.Disks.Select(d => ResolveDiskPath(entry, d)).ToList();
        var overlays = new List<string>();
        var disks = new List<DiskSpec>();
        try
        {
            for (var i = 0; i < before.Disks.Count; i++)
            {
                var disk = before.Disks[i];
                var overlay = NextDeltaName(entry.FolderPath, frozen[i]);
                var backing = Path.GetRelativePath(entry.FolderPath, frozen[i]);
                await RunImageToolAsync($"delta disk of VM '{before.Name}'", () => _qemuImg.CreateOverlayAsync(overlay, Path.GetFileName(frozen[i]), disk.Format, VirtualSize(frozen[i], disk.Format), cancellationToken));
                overlays.Add(overlay);
                disks.Add(new DiskSpec(Path.GetRelativePath(entry.FolderPath, overlay), disk.SizeBytes, "qcow2", backing));
            }

            SaveSpec(entry, before with { Disks = disks });
            var nodes = live is null ? null : await live.AddOverlaysAsync(before.Disks.Select((_, i) => DeviceOf(i)).ToList(), overlays, cancellationToken);
            return (frozen, nodes, before);
        }
        catch (Exception ex) when (ex is DomainException or QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The switch did not happen: the VM still writes its old images; the spec says so again.
            SaveSpec(entry, before);
            foreach (var overlay in overlays)
            {
                File.Delete(overlay);
            }

            throw ex is DomainException or OperationCanceledException ? ex : new DomainException(ErrorCodes.HypervisorError, $"VM '{before.Name}': QEMU could not switch to delta disks: {ex.Message}");
        }
    }

    /// <summary>
    /// Full copy of a running VM's disks at one instant, at <c>qemu-img convert</c> speed: delta disks freeze the images,
    /// convert copies them, and the deltas (what the guest wrote meanwhile) are merged back.
    /// </summary>
    private async Task<List<DiskSpec>> CopyRunningDisksAsync(VmEntry source, IVmInstance instance, string folder, string name, CancellationToken cancellationToken)
    {
        if (source.Spec.Disks.Count == 0)
        {
            return [];
        }

        var (frozen, nodes, before) = await AddDeltaDisksAsync(source, instance, cancellationToken);
        var deltas = source.Spec.Disks.Select(d => ResolveDiskPath(source, d)).ToList();
        try
        {
            var disks = new List<DiskSpec>();
            for (var i = 0; i < frozen.Count; i++)
            {
                var file = CloneDiskName(name, i);
                var format = before.Disks[i].Format;
                var image = frozen[i];
                await RunImageToolAsync($"clone of VM '{source.Spec.Name}'", () => _qemuImg.ConvertAsync(image, format, Path.Combine(folder, file), "qcow2", cancellationToken: cancellationToken));
                await FlushToDiskAsync(Path.Combine(folder, file));
                disks.Add(new DiskSpec(file, before.Disks[i].SizeBytes, "qcow2"));
            }

            return disks;
        }
        finally
        {
            // Also after a failed or cancelled copy: the guest's writes go back into its own images.
            await MergeDeltaDisksAsync(source, (IVmDiskOverlays)instance, nodes!, deltas);
        }
    }

    /// <summary>Active commit of each delta into its frozen image; the spec follows what QEMU then writes, and deltas no
    /// longer in use are deleted. A failed merge leaves that disk on its delta (spec and QEMU agree) and is reported.</summary>
    private async Task MergeDeltaDisksAsync(VmEntry entry, IVmDiskOverlays live, IReadOnlyList<string> nodes, IReadOnlyList<string> deltas)
    {
        string? failure = null;
        try
        {
            await live.CommitOverlaysAsync(entry.Spec.Disks.Select((_, i) => DeviceOf(i)).ToList(), nodes, CancellationToken.None);
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
        {
            failure = ex.Message;
        }

        try
        {
            await SyncDisksWithQemuAsync(entry, live, CancellationToken.None);
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException or InvalidOperationException)
        {
            failure ??= ex.Message;
        }

        var inUse = entry.Spec.Disks.Select(d => ResolveDiskPath(entry, d)).ToHashSet(StringComparer.Ordinal);
        foreach (var delta in deltas.Where(d => !inUse.Contains(d)))
        {
            File.Delete(delta);
        }

        if (failure is not null)
        {
            _events.Publish(EventTypes.VmReconfigured, $"a temporary delta disk could not be merged back ({failure}); the VM keeps running on it", entry.Id, entry.Spec.Name);
        }
    }

    /// <summary>
    /// Makes the spec name the images QEMU writes: after a merge pivoted back onto a frozen image, or after an agent
    /// restart that found QEMU on other images than the spec says (a crash between the switch and the spec's update).
    /// </summary>
    private async Task SyncDisksWithQemuAsync(VmEntry entry, IVmDiskOverlays live, CancellationToken cancellationToken)
    {
        var spec = entry.Spec;
        if (spec.Disks.Count == 0)
        {
            return;
        }

        var active = await live.ActiveImagesAsync(spec.Disks.Select((_, i) => DeviceOf(i)).ToList(), cancellationToken);
        var disks = spec.Disks.ToList();
        for (var i = 0; i < disks.Count; i++)
        {
            var current = ResolveDiskPath(entry, disks[i]);
            var actual = Path.GetFullPath(active[i]);
            if (actual == current || !File.Exists(actual))
            {
                continue;
            }

            var qcow2 = Qcow2Header.IsQcow2(actual);
            disks[i] = new DiskSpec(
                Path.GetRelativePath(entry.FolderPath, actual),
                disks[i].SizeBytes,
                qcow2 ? "qcow2" : "raw",
                qcow2 ? Qcow2Header.Read(actual).BackingFile : null);
        }

        if (!disks.SequenceEqual(spec.Disks))
        {
            SaveSpec(entry, spec with { Disks = disks });
        }
    }

    /// <summary>The image files a VM owns: its disks' chains, as far as they lie in its own folder (a linked clone's
    /// template or parent images are not its own).</summary>
    private static HashSet<string> OwnedImages(VmEntry entry)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        var folder = Path.GetFullPath(entry.FolderPath) + Path.DirectorySeparatorChar;
        foreach (var disk in entry.Spec.Disks)
        {
            var path = ResolveDiskPath(entry, disk);
            IReadOnlyList<string> chain;
            try
            {
                chain = disk.Format == "qcow2" && File.Exists(path) ? Qcow2Header.Chain(path) : [path];
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                chain = [path];
            }

            owned.UnionWith(chain.Where(f => f.StartsWith(folder, StringComparison.Ordinal)));
        }

        return owned;
    }

    /// <summary>True when a disk of the VM stacks on an image in its own folder: it is (or was) the parent of linked clones.</summary>
    internal static bool HasFrozenImages(VmEntry entry)
    {
        var folder = Path.GetFullPath(entry.FolderPath) + Path.DirectorySeparatorChar;
        return entry.Spec.Disks.Any(d => d.Base is { } b && Path.GetFullPath(Path.Combine(entry.FolderPath, b)).StartsWith(folder, StringComparison.Ordinal));
    }

    /// <summary><c>NAME-disk0.qcow2</c> → <c>NAME-disk0-000001.qcow2</c>, <c>…-000001</c> → <c>…-000002</c>: the first
    /// free number in the folder.</summary>
    internal static string NextDeltaName(string folder, string image)
    {
        var stem = Path.GetFileNameWithoutExtension(image);
        var dash = stem.LastIndexOf('-');
        if (dash > 0 && stem.Length - dash == 7 && stem[(dash + 1)..].All(char.IsAsciiDigit))
        {
            stem = stem[..dash];
        }

        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stem}-{n:D6}.qcow2"));
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    private static long VirtualSize(string image, string format) =>
        format == "qcow2" ? Qcow2Header.Read(image).VirtualSizeBytes : new FileInfo(image).Length;

    private static void SaveSpec(VmEntry entry, VmSpec spec)
    {
        VmFolder.Save(entry.FolderPath, spec);
        entry.Spec = spec;
    }
}
