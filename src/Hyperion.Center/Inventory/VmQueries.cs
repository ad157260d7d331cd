using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tags;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>
/// The Center's VM list: the VM records the user may see (<see cref="Privileges.SystemView"/>, decided in SQL by
/// <see cref="VisibilityEvaluator.Filter{T}"/>), filtered, by name then id, one keyset page at a time (the
/// <c>IX_Vms_Name_Id</c> index serves the order).
/// </summary>
public sealed class VmQueries(CenterDbContext db, AccessControl access)
{
    private static readonly KeysetOrder<VmRecord> Order = KeysetOrder<VmRecord>.By(v => v.Name).ThenBy(v => v.Id);

    public async Task<PageDto<CenterVmDto>> ListAsync(AuthenticatedUser actor, VmListFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<VmRecord> vms = db.Vms.AsNoTracking();
        VmPowerState? powerState = null;
        if (filter.PowerState is not null)
        {
            powerState = Enum.TryParse<VmPowerState>(filter.PowerState, ignoreCase: true, out var state) && Enum.IsDefined(state) && !filter.PowerState.Any(char.IsDigit)
                ? state
                : throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"powerState '{filter.PowerState}' is not one of poweredOn, poweredOff, suspended", "powerState"));
        }

        vms = NameMatch.Containing(vms, v => v.Name, filter.Name);

        if (powerState is { } wanted)
        {
            vms = vms.Where(v => v.PowerState == wanted);
        }

        if (filter.Template is { } template)
        {
            vms = vms.Where(v => v.IsTemplate == template);
        }

        if (filter.Host is not null)
        {
            var hosts = await HostIdsAsync(filter.Host, cancellationToken);
            vms = vms.Where(v => v.HostId != null && hosts.Contains(v.HostId.Value));
        }

        if (filter.Folder is not null)
        {
            if (!InventoryId.TryParse(filter.Folder, out var folder) || folder.Kind is not (InventoryObjectKind.Folder or InventoryObjectKind.Datacenter))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"folder '{filter.Folder}' is not a folder or datacenter id such as group-4", "folder"));
            }

            var tree = await access.TreeAsync(cancellationToken);
            var folders = tree.Contains(folder) ? tree.Subtree(folder).Where(f => tree.FolderKindOf(f) == FolderKind.Vm).ToList() : [];
            vms = vms.Where(v => folders.Contains(v.FolderId));
        }

        if (filter.Tag is not null)
        {
            var tags = await TagService.ResolveAsync(db, filter.Tag, cancellationToken);
            vms = vms.Where(v => db.TagAssignments.Any(a => a.ObjectId == v.Id && tags.Contains(a.TagId)));
        }

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        vms = visibility.FilterVms(vms);
        return await vms.ToPageAsync(Order, page, CenterVmMapper.ToDto, cancellationToken);
    }

    private async Task<List<InventoryId>> HostIdsAsync(string host, CancellationToken cancellationToken)
    {
        if (InventoryId.TryParse(host, out var id))
        {
            return id.Kind == InventoryObjectKind.Host ? [id] : throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"host '{host}' is not a host id or address", "host"));
        }

        // An address as the host list shows it (https://ADDRESS:PORT) or the bare address (any port).
        var endpoint = host.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? HostEndpoint.Parse(host) : null;
        var address = endpoint?.Address ?? host;
        var port = endpoint?.Port;
        return await db.Hosts.AsNoTracking().Where(h => h.Address == address && (port == null || h.Port == port)).Select(h => h.Id).ToListAsync(cancellationToken);
    }
}
