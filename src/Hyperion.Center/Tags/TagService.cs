using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tags;

/// <summary>
/// vSphere tagging: tags (a name in a category) and their assignments to inventory objects of any kind. Creating and
/// deleting tags takes <see cref="Privileges.TagManage"/> on the root folder (tags are Center-wide); attaching and
/// detaching takes <see cref="Privileges.TagAttach"/> on the object. Any user may list the tags; listing an object's
/// tags needs <see cref="Privileges.SystemView"/> on it. Every change records an event in its own transaction.
/// </summary>
public sealed class TagService(CenterDbContext db, AccessControl access, TimeProvider time)
{
    public const int MaxDescriptionLength = 2048;

    private static readonly KeysetOrder<TagRecord> Order = KeysetOrder<TagRecord>.By(t => t.Category).ThenBy(t => t.Name);

    public async Task<TagDto> CreateAsync(AuthenticatedUser actor, TagCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.TagManage, cancellationToken);
        var category = ValidName(request.Category, "category");
        var name = ValidName(request.Name, "name");
        if (request.Description is { Length: > MaxDescriptionLength })
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"description is longer than {MaxDescriptionLength} characters", "description"));
        }

        if (await db.Tags.AnyAsync(t => t.Category == category && t.Name == name, cancellationToken))
        {
            throw Duplicate(category, name);
        }

        var tag = new TagRecord { Category = category, Name = name, Description = request.Description };
        db.Tags.Add(tag);
        CenterEventLog.Add(db, time, CenterEventTypes.TagCreated, $"tag {category}/{name} created", userName: actor.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            throw Duplicate(category, name);
        }

        return ToDto(tag);
    }

    /// <summary>Tags by category then name; with <paramref name="objectText"/>, only those attached to that object.</summary>
    public async Task<PageDto<TagDto>> ListAsync(AuthenticatedUser actor, string? objectText, string? category, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<TagRecord> tags = db.Tags.AsNoTracking();
        if (objectText is not null)
        {
            var objectId = await ExistingObjectAsync(objectText, cancellationToken);
            await access.RequireAsync(actor.Name, objectId, Privileges.SystemView, cancellationToken);
            tags = tags.Where(t => db.TagAssignments.Any(a => a.TagId == t.Id && a.ObjectId == objectId));
        }

        if (category is not null)
        {
            tags = tags.Where(t => t.Category == category);
        }

        return await tags.ToPageAsync(Order, page, ToDto, cancellationToken);
    }

    public async Task<TagDto> GetAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ToDto(await FindAsync(id, cancellationToken));
    }

    /// <summary>Deletes the tag and its assignments.</summary>
    public async Task DeleteAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var tag = await FindAsync(id, cancellationToken);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.TagManage, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TagAssignments.Where(a => a.TagId == tag.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Tags.Where(t => t.Id == tag.Id).ExecuteDeleteAsync(cancellationToken);
        CenterEventLog.Add(db, time, CenterEventTypes.TagDeleted, $"tag {tag.Category}/{tag.Name} deleted", userName: actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Attaches the tag to the object; attaching it again changes nothing.</summary>
    public async Task AssignAsync(AuthenticatedUser actor, string id, TagAssignmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var tag = await FindAsync(id, cancellationToken);
        var objectId = await ExistingObjectAsync(request.Object, cancellationToken);
        await access.RequireAsync(actor.Name, objectId, Privileges.TagAttach, cancellationToken);
        if (await db.TagAssignments.AnyAsync(a => a.TagId == tag.Id && a.ObjectId == objectId, cancellationToken))
        {
            return;
        }

        db.TagAssignments.Add(new TagAssignmentRecord { TagId = tag.Id, ObjectId = objectId });
        var name = await InventoryObjectNames.GetAsync(db, objectId, cancellationToken);
        CenterEventLog.Add(db, time, CenterEventTypes.TagAssigned, $"tag {tag.Category}/{tag.Name} attached", objectId, name, actor.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // A concurrent call attached it first: the outcome is the one asked for.
        }
    }

    /// <summary>Detaches the tag. An assignment left on an object that no longer exists needs <see cref="Privileges.TagManage"/> on the root folder.</summary>
    public async Task UnassignAsync(AuthenticatedUser actor, string id, string objectText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var tag = await FindAsync(id, cancellationToken);
        if (!InventoryId.TryParse(objectText, out var objectId))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"object '{objectText}' is not an inventory id such as vm-42", "object"));
        }

        var name = await InventoryObjectNames.GetAsync(db, objectId, cancellationToken);
        await access.RequireAsync(actor.Name, name is null ? InventoryId.RootFolder : objectId, name is null ? Privileges.TagManage : Privileges.TagAttach, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.TagAssignments.Where(a => a.TagId == tag.Id && a.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"tag {tag.Category}/{tag.Name} is not attached to {objectId}", "object"));
        }

        CenterEventLog.Add(db, time, CenterEventTypes.TagUnassigned, $"tag {tag.Category}/{tag.Name} detached", objectId, name, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The tags a filter names: <c>tag-N</c>, <c>Category/Name</c>, or a bare name (in any category). Empty when none
    /// matches, so a filter on an unknown tag lists nothing.
    /// </summary>
    public static async Task<List<long>> ResolveAsync(CenterDbContext db, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(text);
        if (TagId.TryParse(text, out var id))
        {
            return await db.Tags.AsNoTracking().Where(t => t.Id == id.Number).Select(t => t.Id).ToListAsync(cancellationToken);
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var category = text[..slash];
            var name = text[(slash + 1)..];
            return await db.Tags.AsNoTracking().Where(t => t.Category == category && t.Name == name).Select(t => t.Id).ToListAsync(cancellationToken);
        }

        return await db.Tags.AsNoTracking().Where(t => t.Name == text).Select(t => t.Id).ToListAsync(cancellationToken);
    }

    public static TagDto ToDto(TagRecord tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return new TagDto(new TagId(tag.Id).Value, tag.Category, tag.Name, tag.Description);
    }

    private async Task<TagRecord> FindAsync(string id, CancellationToken cancellationToken)
    {
        TagRecord? tag = null;
        if (TagId.TryParse(id, out var tagId))
        {
            tag = await db.Tags.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tagId.Number, cancellationToken);
        }

        return tag ?? throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no tag '{id}'", "id"));
    }

    private async Task<InventoryId> ExistingObjectAsync(string? text, CancellationToken cancellationToken)
    {
        if (!InventoryId.TryParse(text, out var objectId))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"object '{text}' is not an inventory id such as vm-42", "object"));
        }

        if (await InventoryObjectNames.GetAsync(db, objectId, cancellationToken) is null)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no inventory object '{text}'", "object"));
        }

        return objectId;
    }

    private static string ValidName(string? name, string field) =>
        InventoryNames.Validate(name, field) is { } bad ? throw new DomainException(bad with { Code = ErrorCodes.InventoryInvalidName }) : name!;

    private static DomainException Duplicate(string category, string name) =>
        new(new DomainError(ErrorCodes.InventoryDuplicateName, $"a tag named '{name}' already exists in category '{category}'", "name"));
}
