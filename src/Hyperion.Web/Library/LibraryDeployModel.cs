using Hyperion.Contracts.Center;
using Hyperion.Contracts.Library;
using Hyperion.Domain.Errors;
using Hyperion.Web.Actions;

namespace Hyperion.Web.Library;

/// <summary>
/// The Deploy from Library form (vSphere's "New VM from This Template" / "Deploy OVF Template"): the new VM's name,
/// the datastore for its disks (default: the item's), vCPUs and memory (default: the OVF's, else 1 and 512 MiB), for
/// an ISO a new empty disk, the built-in tiny guest as the boot image, and power on. The VM is made on the host that
/// keeps the item and recorded in its datacenter's root VM folder. The Center's request has no guest customization.
/// </summary>
public sealed class LibraryDeployModel
{
    public const string NameField = "name";
    public const string DatastoreField = "datastore";
    public const string CpusField = "cpus";
    public const string MemoryField = "memoryMiB";
    public const string DiskField = "diskSize";
    public const string ImageField = "image";

    /// <summary>What the host gives a VM from an item that does not say (an OVF does).</summary>
    public const int DefaultCpus = 1;

    public const long DefaultMemoryMiB = 512;

    private readonly LibraryItemRow _item;

    public LibraryDeployModel(LibraryItemRow item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _item = item;
        Cpus = item.Source.Item.Cpus ?? DefaultCpus;
        MemoryMiB = item.Source.Item.MemoryMiB ?? DefaultMemoryMiB;
        BootTiny = item.Source.Item.BootImage == "tiny";
    }

    public string Name { get; set; } = string.Empty;

    /// <summary>The host's name of the datastore; null for the item's own.</summary>
    public string? Datastore { get; set; }

    public int Cpus { get; set; }

    public long MemoryMiB { get; set; }

    /// <summary>An ISO item's new empty disk, in GiB; 0 for none.</summary>
    public long DiskGiB { get; set; }

    /// <summary>Boot the built-in tiny guest, the item's disks as its data disks (an OVF template may say so itself).</summary>
    public bool BootTiny { get; set; }

    public bool PowerOn { get; set; }

    public bool IsIso => _item.Type == "iso";

    /// <summary>The fields' problems (empty when the request may be sent). <paramref name="takenNames"/>: VM names in the folder or on the host.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(LibraryHost host, IEnumerable<string> takenNames)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(takenNames);
        var errors = new List<(string, string)>();
        if (host.DeployReason is { } refused)
        {
            errors.Add((NameField, refused));
        }
        else if (VmHardwareRules.Name(Name.Trim(), takenNames, $"folder {host.VmFolderPath} or on {host.Label}") is { } name)
        {
            errors.Add((NameField, name));
        }

        if (Datastore is not null && host.Datastores.All(d => d.HostName != Datastore))
        {
            errors.Add((DatastoreField, $"{host.Label} has no datastore '{Datastore}'"));
        }

        if (VmHardwareRules.Cpus(Cpus, null) is { } cpus)
        {
            errors.Add((CpusField, cpus));
        }

        if (VmHardwareRules.MemoryMiB(MemoryMiB, null) is { } memory)
        {
            errors.Add((MemoryField, memory));
        }

        if (IsIso && DiskGiB != 0 && VmHardwareRules.DiskGiB(DiskGiB, 0) is { } disk)
        {
            errors.Add((DiskField, disk));
        }

        return errors;
    }

    /// <summary><c>POST /api/library/{item}/deploy</c>'s request: on the item's host, sizes always explicit.</summary>
    public CenterLibraryDeployRequest ToRequest() => new(new LibraryDeployRequest(Name.Trim())
    {
        Datastore = Datastore,
        Cpus = Cpus,
        MemoryMiB = MemoryMiB,
        Image = BootTiny && _item.Source.Item.BootImage is null ? "tiny" : null,
        DiskSize = IsIso && DiskGiB > 0 ? VmHardwareRules.DiskSize(DiskGiB) : null,
        PowerOn = PowerOn,
    })
    {
        Host = _item.HostId,
    };

    /// <summary>The form field a refusal belongs to: the Center's fields are <c>deploy.name</c>…, the host's <c>name</c>…; by code otherwise.</summary>
    public static string? FieldOf(string? field, string code)
    {
        var plain = field?.StartsWith("deploy.", StringComparison.Ordinal) == true ? field["deploy.".Length..] : field;
        return plain switch
        {
            NameField or DatastoreField or CpusField or MemoryField or DiskField or ImageField => plain,
            _ => code switch
            {
                ErrorCodes.VmDuplicateName or ErrorCodes.VmInvalidSpec => NameField,
                ErrorCodes.DatastoreNoSpace or ErrorCodes.DatastoreNotFound => DatastoreField,
                _ => null,
            },
        };
    }
}
