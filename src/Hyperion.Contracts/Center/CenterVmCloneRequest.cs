using Hyperion.Contracts.Vms;

namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>POST /api/vms/{id}/clone</c> (vSphere's CloneVM_Task; from a template it is a deploy): a new VM
/// <see cref="Name"/> in <see cref="Folder"/> (default: the source's folder). <see cref="Host"/> (default: the
/// source's host) and <see cref="Datastore"/> (default: the source's) say where; another host needs a datastore both
/// hosts mount. <see cref="Linked"/> clones share a template's disks (copy-on-write, on the template's datastore).
/// </summary>
public sealed record CenterVmCloneRequest(string Name)
{
    public string? Host { get; init; }

    public string? Datastore { get; init; }

    public string? Folder { get; init; }

    public bool Linked { get; init; }

    /// <summary>A full clone of the VM as it was at this snapshot (name or id).</summary>
    public string? Snapshot { get; init; }

    public bool PowerOn { get; init; }

    public GuestCustomizationDto? Customization { get; init; }
}
