using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Library;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Library;

/// <summary>
/// What the content library pages read from the Center as the signed-in user: the items of every connected host
/// (<see cref="CenterLibraryService.ListAsync"/>, as <c>GET /api/library</c>) and the hosts the user may see, with
/// the privileges the library operations need there and their datastores. Changes go through the service itself.
/// </summary>
public sealed class LibraryData(CenterSession session)
{
    private static readonly PageRequest AllRows = new(PageRequest.MaxLimit, null);

    public Task<IReadOnlyList<LibraryItemRow>> ItemsAsync(CancellationToken cancellationToken = default) =>
        session.CallAsync<CenterLibraryService, IReadOnlyList<LibraryItemRow>>(async (service, user, ct) =>
            (await service.ListAsync(user, ct)).Select(i => new LibraryItemRow(i)).ToList(), cancellationToken);

    /// <summary>Every host the user may see (<see cref="Privileges.SystemView"/>), connected or not, by address.</summary>
    public Task<IReadOnlyList<LibraryHost>> HostsAsync(CancellationToken cancellationToken = default) =>
        session.RunAsync<IReadOnlyList<LibraryHost>>(async (services, user, ct) =>
        {
            var access = services.GetRequiredService<AccessControl>();
            var db = services.GetRequiredService<CenterDbContext>();
            var storage = services.GetRequiredService<StorageQueries>();
            var tree = await access.TreeAsync(ct);
            var hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Address).ThenBy(h => h.Port).ThenBy(h => h.Id).ToListAsync(ct);
            var datastores = new Dictionary<InventoryId, IReadOnlyList<CenterDatastoreDto>>();
            var result = new List<LibraryHost>();
            foreach (var host in hosts)
            {
                var privileges = await access.PrivilegesAsync(user.Name, host.Id, ct);
                if (!privileges.Contains(Privileges.SystemView))
                {
                    continue;
                }

                string? folderId = null;
                string? folderPath = null;
                IReadOnlySet<string> folderPrivileges = new HashSet<string>();
                IReadOnlyList<LibraryDatastore> mounted = [];
                if (Actions.ActionsData.DatacenterOf(tree, host.Id) is { } dc)
                {
                    var folder = await HostInventorySync.RootVmFolderAsync(db, host.Id, ct);
                    var dcName = await db.Datacenters.AsNoTracking().Where(d => d.Id == dc).Select(d => d.Name).SingleAsync(ct);
                    var folderName = await db.Folders.AsNoTracking().Where(f => f.Id == folder).Select(f => f.Name).SingleAsync(ct);
                    folderId = folder.Value;
                    folderPath = $"{dcName}/{folderName}";
                    folderPrivileges = await access.PrivilegesAsync(user.Name, folder, ct);
                    if (!datastores.TryGetValue(dc, out var inDatacenter))
                    {
                        inDatacenter = (await storage.ListDatastoresAsync(user, dc.Value, null, AllRows, ct)).Items;
                        datastores[dc] = inDatacenter;
                    }

                    mounted = inDatacenter.Where(d => d.HostIds.Contains(host.Id.Value, StringComparer.Ordinal))
                        .Select(d => LibraryDatastore.For(d, host.Id.Value)).OrderBy(d => d.HostName, StringComparer.Ordinal).ToList();
                }

                result.Add(new LibraryHost(host.Id.Value, host.Address, host.Port, host.ConnectionState, privileges, folderId, folderPath, folderPrivileges, mounted));
            }

            return result;
        },
        cancellationToken);
}
