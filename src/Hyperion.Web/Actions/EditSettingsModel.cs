using Hyperion.Contracts.Vms;
using Hyperion.Domain.Hosts;

namespace Hyperion.Web.Actions;

/// <summary>
/// The Edit Settings form: what <see cref="VmReconfigureRequest"/> can change (CPUs, memory, kernel arguments, the
/// QEMU guest agent channel, added disks and NICs; the VM powered off), checked as the host agent checks it, turned into a request that names only
/// the fields that changed. Field keys are <see cref="NewVmModel"/>'s, new disks and NICs numbered after the existing ones.
/// </summary>
public sealed class EditSettingsModel(VmDto current)
{
    public const string KernelArgsField = "kernelArgs";

    public VmDto Current { get; } = current ?? throw new ArgumentNullException(nameof(current));

    public int Cpus { get; set; } = current.Cpus;

    public long MemoryMiB { get; set; } = current.MemoryMiB;

    public string KernelArgs { get; set; } = current.Boot.KernelArgs ?? string.Empty;

    /// <summary>Kernel arguments apply to VMs that boot a kernel (the tiny guest among them).</summary>
    public bool HasKernelArgs => Current.Boot.Kind == "kernel";

    /// <summary>The QEMU guest agent channel (guest hardware: changed only while the VM is powered off).</summary>
    public bool GuestAgent { get; set; } = current.GuestAgent;

    public List<DiskRow> AddDisks { get; } = [];

    public List<NicRow> AddNics { get; } = [];

    public Dictionary<string, string> Validate(HostCapacity? capacity)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors.TryAdd(field, message);
            }
        }

        Add(NewVmModel.CpusField, VmHardwareRules.Cpus(Cpus, capacity));
        Add(NewVmModel.MemoryField, VmHardwareRules.MemoryMiB(MemoryMiB, capacity));
        Add(NewVmModel.DisksField, VmHardwareRules.DiskCount(Current.Disks.Count + AddDisks.Count));
        Add(NewVmModel.NicsField, VmHardwareRules.NicCount(Current.Nics.Count + AddNics.Count));
        for (var i = 0; i < AddDisks.Count; i++)
        {
            Add(NewVmModel.DiskField(Current.Disks.Count + i), VmHardwareRules.DiskGiB(AddDisks[i].SizeGiB, Current.Disks.Count + i));
        }

        for (var i = 0; i < AddNics.Count; i++)
        {
            Add(NewVmModel.NicField(Current.Nics.Count + i), string.IsNullOrWhiteSpace(AddNics[i].Network) ? $"choose the network of NIC {Current.Nics.Count + i + 1}" : null);
        }

        return errors;
    }

    /// <summary>The request with only what changed; null when nothing did.</summary>
    public VmReconfigureRequest? ToRequest()
    {
        var request = new VmReconfigureRequest
        {
            Cpus = Cpus != Current.Cpus ? Cpus : null,
            MemoryMiB = MemoryMiB != Current.MemoryMiB ? MemoryMiB : null,
            KernelArgs = HasKernelArgs && KernelArgs != (Current.Boot.KernelArgs ?? string.Empty) ? KernelArgs : null,
            GuestAgent = GuestAgent != Current.GuestAgent ? GuestAgent : null,
            AddDisks = AddDisks.Count > 0 ? AddDisks.Select(d => new VmDiskRequest(VmHardwareRules.DiskSize(d.SizeGiB))).ToList() : null,
            AddNics = AddNics.Count > 0 ? AddNics.Select(n => new VmNicRequest(n.Network)).ToList() : null,
        };
        return request is { Cpus: null, MemoryMiB: null, KernelArgs: null, GuestAgent: null, AddDisks: null, AddNics: null } ? null : request;
    }
}
