using Hyperion.Center.Persistence;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Authorization;

/// <summary>Privilege checks for one request: every service calls <see cref="RequireAsync"/> before it changes anything.</summary>
public sealed class AccessControl(CenterDbContext db)
{
    public Task<IReadOnlySet<string>> PrivilegesAsync(string userName, InventoryId objectId, CancellationToken cancellationToken) =>
        EffectivePrivilegesQuery.GetAsync(db, userName, objectId, cancellationToken);

    public async Task<bool> HasAsync(string userName, InventoryId objectId, string privilege, CancellationToken cancellationToken) =>
        (await PrivilegesAsync(userName, objectId, cancellationToken)).Contains(privilege);

    /// <exception cref="DomainException"><see cref="ErrorCodes.Forbidden"/> when the user lacks <paramref name="privilege"/> on the object.</exception>
    public async Task RequireAsync(string userName, InventoryId objectId, string privilege, CancellationToken cancellationToken)
    {
        if (!await HasAsync(userName, objectId, privilege, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, $"user '{userName}' lacks privilege {privilege} on {objectId}");
        }
    }
}
