using System.Globalization;
using Hyperion.Domain.Hosts;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// The checks a VM's name and hardware pass before the web client submits them, the same rules the Center and the
/// host agent apply (<see cref="VmSpecRules"/>, <see cref="InventoryNames"/>), phrased for the form's fields. Each
/// method answers the field's message, or null when the value is fine.
/// </summary>
public static class VmHardwareRules
{
    public const long GiB = 1024L * 1024 * 1024;

    /// <summary>The largest disk, in GiB, the host agent creates.</summary>
    public const long MaxDiskGiB = VmSpecRules.MaxDiskBytes / GiB;

    public static string? Name(string? name, IEnumerable<string> takenNames, string where)
    {
        ArgumentNullException.ThrowIfNull(takenNames);
        if (VmSpecRules.ValidateName(name) is { } invalid)
        {
            return invalid.Message;
        }

        if (InventoryNames.Validate(name) is { } bad)
        {
            return bad.Message;
        }

        return takenNames.Contains(name, StringComparer.Ordinal) ? $"a VM named '{name}' is already in {where}" : null;
    }

    public static string? Cpus(int cpus, HostCapacity? capacity) => Sizes(cpus, VmSpecRules.MinMemoryMiB, capacity, "cpus");

    public static string? MemoryMiB(long memoryMiB, HostCapacity? capacity) => Sizes(1, memoryMiB, capacity, "memoryMiB");

    public static string? DiskGiB(long sizeGiB, int index)
    {
        if (sizeGiB < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"disk {index + 1} needs a size of at least 1 GiB (got {sizeGiB})");
        }

        return sizeGiB > MaxDiskGiB
            ? string.Create(CultureInfo.InvariantCulture, $"disk {index + 1} may be at most {MaxDiskGiB} GiB (64 TiB)")
            : null;
    }

    public static string? DiskCount(int count) => count > VmSpecRules.MaxDisks ? $"at most {VmSpecRules.MaxDisks} disks" : null;

    public static string? NicCount(int count) => count > VmSpecRules.MaxNics ? $"at most {VmSpecRules.MaxNics} NICs" : null;

    /// <summary>The host agent's size checks; without a known capacity only the minimums.</summary>
    private static string? Sizes(int cpus, long memoryMiB, HostCapacity? capacity, string field) =>
        VmSpecRules.ValidateSizes(cpus, memoryMiB, capacity ?? new HostCapacity(int.MaxValue, long.MaxValue))
            .FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>The disk size the API takes (<c>20G</c>).</summary>
    public static string DiskSize(long sizeGiB) => string.Create(CultureInfo.InvariantCulture, $"{sizeGiB}G");

    /// <summary>The smallest of several hosts' capacities: what a VM placed on any of them must fit.</summary>
    public static HostCapacity? Smallest(IEnumerable<HostCapacity> capacities)
    {
        ArgumentNullException.ThrowIfNull(capacities);
        HostCapacity? smallest = null;
        foreach (var c in capacities)
        {
            smallest = smallest is null ? c : new HostCapacity(Math.Min(smallest.LogicalCpus, c.LogicalCpus), Math.Min(smallest.MemoryMiB, c.MemoryMiB));
        }

        return smallest;
    }
}
