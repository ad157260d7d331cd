using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Admin;

/// <summary>
/// The Administration pages' calls to the Center: the same <see cref="UserService"/>, <see cref="RoleService"/> and
/// <see cref="PermissionService"/> methods the <c>/api/users</c>, <c>/api/roles</c> and <c>/api/permissions</c>
/// endpoints call, as the signed-in user; lists are read whole (every page), as they are short.
/// </summary>
public static class AdminCalls
{
    /// <summary>What the user may change in Administration (privileges on the root folder, as the services check).</summary>
    public static async Task<AdminRights> RightsAsync(this CenterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var user = await session.UserAsync();
        return AdminRights.From(user.Name, await session.PrivilegesAsync(InventoryId.RootFolder, cancellationToken));
    }

    public static Task<IReadOnlyList<UserDto>> UsersAsync(this CenterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<UserService, IReadOnlyList<UserDto>>(
            (service, user, ct) => AllAsync(page => service.ListAsync(user, null, page, ct)), cancellationToken);
    }

    public static Task<UserDto> CreateUserAsync(this CenterSession session, string name, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<UserService, UserDto>((service, user, ct) => service.CreateAsync(user, new UserCreateRequest(name, password), ct), cancellationToken);
    }

    public static Task<IReadOnlyList<RoleDto>> RolesAsync(this CenterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<RoleService, IReadOnlyList<RoleDto>>((service, _, ct) => AllAsync(page => service.ListAsync(page, ct)), cancellationToken);
    }

    public static Task<RoleDto> CreateRoleAsync(this CenterSession session, string name, IReadOnlyList<string> privileges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<RoleService, RoleDto>((service, user, ct) => service.CreateAsync(user, new RoleCreateRequest(name, privileges), ct), cancellationToken);
    }

    public static Task DeleteRoleAsync(this CenterSession session, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<RoleService, bool>(
            async (service, user, ct) =>
            {
                await service.DeleteAsync(user, name, ct);
                return true;
            },
            cancellationToken);
    }

    /// <param name="objectId">Only the permissions set on this object, or null for all the user may read.</param>
    public static Task<IReadOnlyList<PermissionDto>> PermissionsAsync(this CenterSession session, string? objectId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<PermissionService, IReadOnlyList<PermissionDto>>(
            (service, user, ct) => AllAsync(page => service.ListAsync(user, objectId, null, page, ct)), cancellationToken);
    }

    public static Task<PermissionDto> SetPermissionAsync(this CenterSession session, string userName, string role, string objectId, bool propagate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.CallAsync<PermissionService, PermissionDto>(
            (service, user, ct) => service.SetAsync(user, new PermissionCreateRequest(userName, role, objectId, propagate), ct), cancellationToken);
    }

    /// <summary>Display names of inventory objects (a host's is its address), for the objects a permission list names.</summary>
    public static Task<IReadOnlyDictionary<string, string>> ObjectNamesAsync(this CenterSession session, IEnumerable<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var ids = objectIds.Distinct(StringComparer.Ordinal).ToList();
        return session.RunAsync<IReadOnlyDictionary<string, string>>(
            async (services, _, ct) =>
            {
                var db = services.GetRequiredService<CenterDbContext>();
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    if (InventoryId.TryParse(id, out var parsed) && await InventoryObjectNames.GetAsync(db, parsed, ct) is { } name)
                    {
                        names[id] = name;
                    }
                }

                return names;
            },
            cancellationToken);
    }

    /// <summary>
    /// The permissions on <paramref name="objectId"/> and those it inherits: the permission service's list for the object
    /// and for each ancestor on the paths the Center evaluates (permissions on ancestors the user may not read are not listed,
    /// as the API does not list them).
    /// </summary>
    public static Task<ObjectPermissionView> ObjectPermissionsAsync(this CenterSession session, string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.RunAsync(
            async (services, user, ct) =>
            {
                var db = services.GetRequiredService<CenterDbContext>();
                var permissions = services.GetRequiredService<PermissionService>();
                if (!InventoryId.TryParse(objectId, out var id))
                {
                    throw new DomainException(ErrorCodes.InvalidArgument, $"'{objectId}' is not an inventory id such as vm-42");
                }

                var paths = await InventoryAncestry.GetPathsAsync(db, id, ct);
                var onObject = await AllAsync(page => permissions.ListAsync(user, objectId, null, page, ct));
                var ancestors = paths.SelectMany(p => p.Skip(1)).Distinct().ToList();
                var onAncestors = new List<PermissionDto>();
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var ancestor in ancestors)
                {
                    onAncestors.AddRange(await AllAsync(page => permissions.ListAsync(user, ancestor.Value, null, page, ct)));
                    names[ancestor.Value] = await InventoryObjectNames.GetAsync(db, ancestor, ct) ?? ancestor.Value;
                }

                return ObjectPermissionView.Build(paths, onObject, onAncestors, names);
            },
            cancellationToken);
    }

    private static async Task<IReadOnlyList<T>> AllAsync<T>(Func<PageRequest, Task<PageDto<T>>> list)
    {
        var items = new List<T>();
        string? cursor = null;
        do
        {
            var page = await list(new PageRequest(PageRequest.MaxLimit, cursor));
            items.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return items;
    }
}
