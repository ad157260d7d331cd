using System.Globalization;
using System.Security.Cryptography;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Datastores;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Units;
using Hyperion.Domain.Vms;
using Hyperion.Host.Datastores;
using Hyperion.Host.Images;
using Hyperion.Hypervisor.Networking;

namespace Hyperion.Host.Vms;

/// <summary>Turns the boot, disk and NIC parts of a request into specs, collecting every problem instead of stopping at the first.</summary>
internal sealed class VmRequestPlanner(ImageCatalog images)
{
    public ResolvedBoot ResolveBoot(string? image, string? kernel, string? initrd, string? kernelArgs, string? iso)
    {
        if (image == ImageCatalog.Tiny)
        {
            images.GetTiny();
            return new ResolvedBoot(new BootSpec(BootKind.Kernel, Image: ImageCatalog.Tiny, KernelArgs: kernelArgs), null);
        }

        if (kernel is not null)
        {
            RequireHostFile(kernel, "kernel");
            if (initrd is not null)
            {
                RequireHostFile(initrd, "initrd");
            }

            return new ResolvedBoot(new BootSpec(BootKind.Kernel, Kernel: Path.GetFullPath(kernel), Initrd: initrd is null ? null : Path.GetFullPath(initrd), KernelArgs: kernelArgs), null);
        }

        if (iso is not null || (image is not null && image.EndsWith(".iso", StringComparison.OrdinalIgnoreCase)))
        {
            var path = iso ?? image!;
            RequireHostFile(path, "ISO image");
            return new ResolvedBoot(new BootSpec(BootKind.Cdrom, Iso: Path.GetFullPath(path)), null);
        }

        if (image is not null)
        {
            RequireHostFile(image, "image");
            return new ResolvedBoot(new BootSpec(BootKind.Disk), Path.GetFullPath(image));
        }

        return new ResolvedBoot(new BootSpec(BootKind.Disk), null);
    }

    private static void RequireHostFile(string path, string what)
    {
        if (!Path.IsPathRooted(path) || !File.Exists(path))
        {
            throw new DomainException(ErrorCodes.ImageNotFound, $"unknown {what} '{path}': give 'tiny' or an absolute path to an existing file on the host");
        }
    }

    public static List<PlannedDisk> PlanDisks(IReadOnlyList<VmDiskRequest> requests, Datastore datastore, string vmName, int startIndex, List<DomainError> errors)
    {
        var planned = new List<PlannedDisk>();
        var folder = Path.Combine(datastore.Path, vmName);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var index = startIndex + i;
            if (request.Path is not null)
            {
                if (!DatastorePaths.TryResolveInside(datastore.Path, request.Path, out var full))
                {
                    errors.Add(new DomainError(ErrorCodes.DatastorePathEscapes, $"disk path '{request.Path}' is outside datastore '{datastore.Name}'", $"disks[{i}].path"));
                }
                else if (!File.Exists(full))
                {
                    errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"disk '{request.Path}' does not exist on datastore '{datastore.Name}'", $"disks[{i}].path"));
                }
                else
                {
                    planned.Add(new PlannedDisk(Path.GetRelativePath(folder, full), null));
                }

                continue;
            }

            if (!ByteSize.TryParse(request.Size, out var bytes))
            {
                errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"disk size '{request.Size}' is not a size such as 512M or 1G", $"disks[{i}].size"));
                continue;
            }

            if (VmSpecRules.ValidateDiskSize(bytes, i) is { } sizeError)
            {
                errors.Add(sizeError);
                continue;
            }

            planned.Add(new PlannedDisk(string.Create(CultureInfo.InvariantCulture, $"{vmName}-disk{index}.qcow2"), bytes));
        }

        return planned;
    }

    public static List<NicSpec> PlanNics(IReadOnlyList<VmNicRequest> requests, List<DomainError> errors)
    {
        var nics = new List<NicSpec>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var network = string.IsNullOrWhiteSpace(request.Network) ? "user" : request.Network;
            if (VmService.IsBridge(network) && !TapDevices.BridgeExists(network))
            {
                errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"network '{network}' is not 'user', 'none' or a bridge on this host", $"nics[{i}].network"));
                continue;
            }

            if (request.Mac is not null && !MacAddresses.IsValid(request.Mac))
            {
                errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"'{request.Mac}' is not a unicast MAC address like 52:54:00:12:34:56", $"nics[{i}].mac"));
                continue;
            }

            nics.Add(new NicSpec(request.Mac?.ToLowerInvariant() ?? MacAddresses.FromRandom(RandomNumberGenerator.GetBytes(3)), network));
        }

        return nics;
    }
}
