using System.Globalization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;

namespace Hyperion.Domain.Vms;

/// <summary>Validation of VM names and sizes, shared by create and reconfigure.</summary>
public static class VmSpecRules
{
    public const int MaxNameLength = 80;
    public const long MinMemoryMiB = 16;
    public const long MinDiskBytes = 1024 * 1024;
    public const long MaxDiskBytes = 64L * 1024 * 1024 * 1024 * 1024;
    public const int MaxDisks = 16;
    public const int MaxNics = 8;

    public static DomainError? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new DomainError(ErrorCodes.VmInvalidSpec, "VM name is required", "name");
        }

        if (name.Length > MaxNameLength)
        {
            return new DomainError(ErrorCodes.VmInvalidSpec, $"VM name is longer than {MaxNameLength} characters", "name");
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return new DomainError(ErrorCodes.VmInvalidSpec, $"VM name '{name}' may only contain letters, digits, '-', '_' and '.', and must start with a letter or digit", "name");
        }

        return null;
    }

    public static IReadOnlyList<DomainError> ValidateSizes(int cpus, long memoryMiB, HostCapacity host)
    {
        var errors = new List<DomainError>();
        if (cpus < 1)
        {
            errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"a VM needs at least 1 vCPU (got {cpus})", "cpus"));
        }
        else if (cpus > host.LogicalCpus)
        {
            errors.Add(new DomainError(ErrorCodes.HostNoCapacity, $"{cpus} vCPUs is more than the host's {host.LogicalCpus} logical CPUs", "cpus"));
        }

        if (memoryMiB < MinMemoryMiB)
        {
            errors.Add(new DomainError(ErrorCodes.VmInvalidSpec, $"a VM needs at least {MinMemoryMiB} MiB of memory (got {memoryMiB})", "memoryMiB"));
        }
        else if (memoryMiB > host.MemoryMiB)
        {
            errors.Add(new DomainError(ErrorCodes.HostNoCapacity, $"{memoryMiB} MiB of memory is more than the host's {host.MemoryMiB} MiB", "memoryMiB"));
        }

        return errors;
    }

    public static DomainError? ValidateDiskSize(long bytes, int index)
    {
        if (bytes < MinDiskBytes || bytes > MaxDiskBytes)
        {
            return new DomainError(ErrorCodes.VmInvalidSpec, string.Create(CultureInfo.InvariantCulture, $"disk {index} size must be between 1M and 64T (got {bytes} bytes)"), $"disks[{index}].size");
        }

        return null;
    }
}
