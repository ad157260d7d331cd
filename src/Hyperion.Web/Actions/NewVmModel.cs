using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;

namespace Hyperion.Web.Actions;

/// <summary>The New VM wizard's steps, in order.</summary>
public enum NewVmStep
{
    NameAndFolder,
    ComputeResource,
    Storage,
    Hardware,
    DisksAndNetworks,
    BootImage,
    Ready,
}

/// <summary>How the new VM boots: the host's built-in tiny guest, a disk image or ISO file on the host, or its first disk.</summary>
public enum BootChoice
{
    Tiny,
    HostFile,
    FirstDisk,
}

/// <summary>A cluster or host a new VM can go on.</summary>
/// <param name="Capacity">The host's (for a cluster, its smallest usable host's) CPUs and memory, when known.</param>
public sealed record ComputeChoice(string Id, string Name, bool IsCluster, IReadOnlyList<string> HostIds, HostCapacity? Capacity)
{
    public string Display => IsCluster ? $"{Name} (cluster, {HostIds.Count} usable host(s))" : $"{Name} (host)";
}

/// <summary>
/// What the New VM wizard collects, its per-step checks (<see cref="VmHardwareRules"/>, the API's rules) and the
/// request it submits. Field keys name the form fields; <see cref="FieldOfApiError"/> maps the API's error fields to them.
/// </summary>
public sealed partial class NewVmModel
{
    public const string NameField = "name";
    public const string FolderField = "folder";
    public const string ComputeField = "compute";
    public const string DatastoreField = "datastore";
    public const string CpusField = "cpus";
    public const string MemoryField = "memory";
    public const string DisksField = "disks";
    public const string NicsField = "nics";
    public const string ImageField = "image";

    public string Name { get; set; } = string.Empty;

    public string? FolderId { get; set; }

    public ComputeChoice? Compute { get; set; }

    public string? Datastore { get; set; }

    public int Cpus { get; set; } = 1;

    public long MemoryMiB { get; set; } = 128;

    /// <summary>Gives the VM the QEMU guest agent channel (<c>vm create --guest-agent</c>).</summary>
    public bool GuestAgent { get; set; }

    public List<DiskRow> Disks { get; } = [];

    public List<NicRow> Nics { get; } = [];

    public BootChoice Boot { get; set; } = BootChoice.Tiny;

    public string ImagePath { get; set; } = string.Empty;

    public static string DiskField(int index) => $"disks[{index}]";

    public static string NicField(int index) => $"nics[{index}]";

    /// <summary>The step's field messages (empty when it may be left). <paramref name="takenNames"/>: VM names already in the chosen folder or on the chosen host.</summary>
    public Dictionary<string, string> Validate(NewVmStep step, IEnumerable<string> takenNames, string folderName)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors.TryAdd(field, message);
            }
        }

        switch (step)
        {
            case NewVmStep.NameAndFolder:
                Add(NameField, VmHardwareRules.Name(Name, takenNames, $"folder {folderName}"));
                Add(FolderField, FolderId is null ? "choose the VM folder the VM goes in" : null);
                break;
            case NewVmStep.ComputeResource:
                Add(ComputeField, Compute is null ? "choose a cluster or host: a connected one, not in maintenance mode" : null);
                break;
            case NewVmStep.Storage:
                Add(DatastoreField, string.IsNullOrEmpty(Datastore) ? "choose a datastore for the VM's files" : null);
                break;
            case NewVmStep.Hardware:
                Add(CpusField, VmHardwareRules.Cpus(Cpus, Compute?.Capacity));
                Add(MemoryField, VmHardwareRules.MemoryMiB(MemoryMiB, Compute?.Capacity));
                break;
            case NewVmStep.DisksAndNetworks:
                Add(DisksField, VmHardwareRules.DiskCount(Disks.Count));
                Add(NicsField, VmHardwareRules.NicCount(Nics.Count));
                for (var i = 0; i < Disks.Count; i++)
                {
                    Add(DiskField(i), VmHardwareRules.DiskGiB(Disks[i].SizeGiB, i));
                }

                for (var i = 0; i < Nics.Count; i++)
                {
                    Add(NicField(i), string.IsNullOrWhiteSpace(Nics[i].Network) ? $"choose the network of NIC {i + 1}" : null);
                }

                break;
            case NewVmStep.BootImage:
                Add(ImageField, Boot == BootChoice.HostFile && !Path.IsPathRooted(ImagePath.Trim())
                    ? "give the absolute path of a disk image or ISO file on the host"
                    : null);
                Add(ImageField, Boot == BootChoice.FirstDisk && Disks.Count == 0 ? "add a disk to boot from, or choose another boot image" : null);
                break;
            case NewVmStep.Ready:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }

        return errors;
    }

    /// <summary>
    /// The request <c>POST /api/vms</c> takes. <paramref name="datastore"/> is the chosen datastore's record: only its
    /// host can use a host's local datastore, so the VM is placed on that host (the Center maps the datastore's
    /// Center name, <c>local (host-N)</c>, to the host's own).
    /// </summary>
    public CenterVmCreateRequest ToRequest(CenterDatastoreDto? datastore = null)
    {
        var datastoreName = datastore?.Name ?? Datastore;
        var pinnedHost = datastore is null ? null : PinnedHost(datastore);
        return new()
        {
            Cluster = pinnedHost is null && Compute is { IsCluster: true } cluster ? cluster.Id : null,
            Host = pinnedHost ?? (Compute is { IsCluster: false } host ? host.Id : null),
            Folder = FolderId,
            Spec = Spec(datastoreName),
        };
    }

    /// <summary>The one host a local datastore belongs to (null for shared storage).</summary>
    public static string? PinnedHost(CenterDatastoreDto datastore)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        return datastore.Type == "local" && datastore.HostIds.Count == 1 ? datastore.HostIds[0] : null;
    }

    private VmCreateRequest Spec(string? datastore) => new()
    {
        Name = Name,
        Cpus = Cpus,
        MemoryMiB = MemoryMiB,
        GuestAgent = GuestAgent,
        Datastore = datastore,
        Disks = Disks.Select(d => new VmDiskRequest(VmHardwareRules.DiskSize(d.SizeGiB))).ToList(),
        Nics = Nics.Select(n => new VmNicRequest(n.Network)).ToList(),
        Image = Boot switch
        {
            BootChoice.Tiny => "tiny",
            BootChoice.HostFile => ImagePath.Trim(),
            _ => null,
        },
    };

    /// <summary>The wizard field an API error's <c>field</c> names (<c>spec.memoryMiB</c> → memory), or null for a general error.</summary>
    public static string? FieldOfApiError(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return null;
        }

        var name = field.StartsWith("spec.", StringComparison.Ordinal) ? field["spec.".Length..] : field;
        if (IndexedField().Match(name) is { Success: true } indexed)
        {
            return indexed.Groups[1].Value == "disks" ? DiskField(int.Parse(indexed.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : NicField(int.Parse(indexed.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        return name switch
        {
            "name" => NameField,
            "folder" => FolderField,
            "host" or "cluster" => ComputeField,
            "datastore" => DatastoreField,
            "cpus" => CpusField,
            "memoryMiB" => MemoryField,
            "disks" => DisksField,
            "nics" => NicsField,
            "image" or "kernel" or "initrd" or "iso" => ImageField,
            _ => null,
        };
    }

    /// <summary>
    /// The API field a failed create task's error code points at (a task's error carries a code and a message, no
    /// field): a name the host already has, a missing image, a full or missing datastore; null for others.
    /// </summary>
    public static string? FieldOfTaskError(string? code) => code switch
    {
        ErrorCodes.VmDuplicateName => "name",
        ErrorCodes.ImageNotFound => "image",
        ErrorCodes.DatastoreNotFound or ErrorCodes.DatastoreNoSpace => "datastore",
        _ => null,
    };

    /// <summary>The step that shows <paramref name="field"/>.</summary>
    public static NewVmStep StepOf(string field) => field switch
    {
        NameField or FolderField => NewVmStep.NameAndFolder,
        ComputeField => NewVmStep.ComputeResource,
        DatastoreField => NewVmStep.Storage,
        CpusField or MemoryField => NewVmStep.Hardware,
        ImageField => NewVmStep.BootImage,
        _ => NewVmStep.DisksAndNetworks,
    };

    [GeneratedRegex(@"^(disks|nics)\[(\d+)\]")]
    private static partial Regex IndexedField();
}

/// <summary>A new disk in the wizard.</summary>
public sealed class DiskRow
{
    public long SizeGiB { get; set; } = 1;
}

/// <summary>A new NIC in the wizard.</summary>
public sealed class NicRow
{
    public string Network { get; set; } = "user";
}
