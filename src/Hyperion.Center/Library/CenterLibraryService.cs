using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Library;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Library;

/// <summary>
/// The content libraries of the managed hosts, through the Center: items listed from every connected host the user
/// may see, uploads relayed as a stream to the chosen host, deploys as tasks that record the new VM, and a VM's OVA
/// export streamed from its host. The hosts keep the items (on their datastores); the Center keeps no copy.
/// </summary>
public sealed class CenterLibraryService(CenterDbContext db, AccessControl access, HostConnections connections, HostCredentials credentials, HostInventoryVersions versions, TaskManager tasks, TimeProvider time, CenterVmService vms)
{
    public async Task<IReadOnlyList<CenterLibraryItemDto>> ListAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var items = new List<CenterLibraryItemDto>();
        foreach (var host in await VisibleHostsAsync(actor, cancellationToken))
        {
            var listed = await connections.Get(host.Id, credentials.For(host)).ListLibraryAsync(cancellationToken);
            items.AddRange(listed.Select(i => new CenterLibraryItemDto(host.Id.Value, host.Address, i)));
        }

        return items.OrderBy(i => i.Item.Name, StringComparer.Ordinal).ThenBy(i => i.HostId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Relays an upload to <paramref name="hostName"/> (needed when more than one host is connected).</summary>
    public async Task<CenterLibraryItemDto> ImportAsync(AuthenticatedUser actor, string? hostName, string query, Stream content, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await ChooseHostAsync(actor, hostName, null, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.LibraryAddItem, cancellationToken);
        var item = await connections.Get(host.Id, credentials.For(host)).ImportLibraryItemAsync(query, content, length, cancellationToken);
        CenterEventLog.Add(db, time, CenterEventTypes.LibraryItemImported, $"library item '{item.Name}' ({item.Type}) imported on {host.Address}", host.Id, host.Address, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        return new CenterLibraryItemDto(host.Id.Value, host.Address, item);
    }

    public async Task DeleteAsync(AuthenticatedUser actor, string item, string? hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var host = await ChooseHostAsync(actor, hostName, item, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.LibraryDeleteItem, cancellationToken);
        await connections.Get(host.Id, credentials.For(host)).DeleteLibraryItemAsync(item, cancellationToken);
        CenterEventLog.Add(db, time, CenterEventTypes.LibraryItemDeleted, $"library item '{item}' deleted on {host.Address}", host.Id, host.Address, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A task that makes the VM on the item's host and records it in the requested folder.</summary>
    public async Task<TaskDto> DeployAsync(AuthenticatedUser actor, string item, CenterLibraryDeployRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Deploy?.Name;
        if (InventoryNames.Validate(name, "deploy.name") is { } invalid)
        {
            throw new DomainException(invalid);
        }

        var host = await ChooseHostAsync(actor, request.Host, item, cancellationToken);
        var folder = await vms.VmFolderAsync(request.Folder, host.Id, cancellationToken);
        await access.RequireAsync(actor.Name, folder, Privileges.VmCreate, cancellationToken);
        await access.RequireAsync(actor.Name, host.Id, Privileges.VmCreate, cancellationToken);
        if (await db.Vms.AnyAsync(v => v.FolderId == folder && v.Name == name, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmDuplicateName, $"a VM named '{name}' is already in folder {folder}", "deploy.name"));
        }

        if (request.Deploy!.PowerOn)
        {
            // A new VM gets the default restart priority (medium). The size is the requested one; an OVA's own size is
            // only known once deployed, so without --memory only the cluster's failover capacity itself is checked.
            await Ha.HaAdmission.RequirePowerOnAsync(db, host.Id, name!, request.Deploy.MemoryMiB ?? 0, Contracts.Ha.HaRestartPriorities.Medium, null, cancellationToken);
        }

        var settings = credentials.For(host);
        var hostId = host.Id;
        return await tasks.QueueAsync(
            new TaskSpec("ContentLibrary.deploy", folder, name!, actor.Name),
            async (context, ct) =>
            {
                await context.ReportProgressAsync(10, ct);
                var created = await versions.AroundAsync(hostId, () => connections.Get(hostId, settings).DeployLibraryItemAsync(item, request.Deploy!, ct));
                await using var work = context.CreateDbContext();
                var record = await CenterVmService.RecordCreatedAsync(work, hostId, folder, name!, created, ct);
                CenterEventLog.Add(work, time, CenterEventTypes.VmCreated, $"{name} deployed from library item '{item}' on {settings.Endpoint.Address}", record.Id, name!, actor.Name, context.Id);
                await work.SaveChangesAsync(ct);
                return CenterVmMapper.ToDto(record);
            },
            cancellationToken);
    }

    private async Task<List<HostRecord>> VisibleHostsAsync(AuthenticatedUser actor, CancellationToken cancellationToken)
    {
        var connected = await db.Hosts.AsNoTracking().Where(h => h.ConnectionState == HostConnectionState.Connected).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        var visible = new List<HostRecord>();
        foreach (var host in connected)
        {
            if (await access.HasAsync(actor.Name, host.Id, Privileges.SystemView, cancellationToken))
            {
                visible.Add(host);
            }
        }

        return visible;
    }

    /// <summary>The named host; else the one connected host; else (given an item) the one host that has it.</summary>
    private async Task<HostRecord> ChooseHostAsync(AuthenticatedUser actor, string? hostName, string? item, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(hostName))
        {
            var named = await CenterVmService.FindHostAsync(db, hostName, cancellationToken);
            if (!await access.HasAsync(actor.Name, named.Id, Privileges.SystemView, cancellationToken))
            {
                throw new DomainException(new DomainError(ErrorCodes.HostNotFound, $"no host '{hostName}'", "host"));
            }

            if (named.ConnectionState != HostConnectionState.Connected)
            {
                throw new DomainException(ErrorCodes.HostNotConnected, $"host {named.Address} is {named.ConnectionState}: reconnect it first");
            }

            return named;
        }

        var hosts = await VisibleHostsAsync(actor, cancellationToken);
        if (item is not null)
        {
            var having = new List<HostRecord>();
            foreach (var host in hosts)
            {
                var listed = await connections.Get(host.Id, credentials.For(host)).ListLibraryAsync(cancellationToken);
                if (listed.Any(i => i.Name == item))
                {
                    having.Add(host);
                }
            }

            hosts = having;
            if (hosts.Count == 0)
            {
                throw new DomainException(new DomainError(ErrorCodes.LibraryItemNotFound, $"no connected host has library item '{item}'", "item"));
            }
        }

        return hosts.Count switch
        {
            1 => hosts[0],
            0 => throw new DomainException(ErrorCodes.HostNotConnected, "no connected host to keep library items"),
            _ => throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"{hosts.Count} hosts {(item is null ? "are connected" : $"have an item '{item}'")}: say which with host", "host")),
        };
    }
}
