using System.Globalization;
using Hyperion.Center.Authorization;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Events;

/// <summary>
/// Reads Center events, newest first (by id, which only grows, so a page's cursor is the last id it showed).
/// An event about an object is visible to a user with <see cref="Privileges.SystemView"/> on that object (decided for
/// the whole list at once by <see cref="VisibilityEvaluator"/>); an event about no object (a user created, a tag
/// created) is Center-level and visible to administrators, those holding <see cref="CenterLevelPrivilege"/> on the root
/// folder. Events about an object that no longer exists stay visible only to users who see everything.
/// </summary>
public sealed class EventQueries(CenterDbContext db, AccessControl access)
{
    /// <summary>What it takes to see Center-level events: managing users, an administrator's privilege.</summary>
    public const string CenterLevelPrivilege = Privileges.ManageUsers;

    public const int MaxTypeLength = 64;

    private static readonly KeysetOrder<EventRecord> Order = KeysetOrder<EventRecord>.By(e => e.Id, descending: true);

    public async Task<PageDto<CenterEventDto>> ListAsync(AuthenticatedUser actor, EventListFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<EventRecord> events = db.Events.AsNoTracking();
        var from = Time(filter.From, "from");
        var to = Time(filter.To, "to");
        if (filter.Object is not null)
        {
            var objectName = filter.Object;
            events = InventoryId.TryParse(filter.Object, out var objectId)
                ? events.Where(e => e.ObjectId == objectId)
                : events.Where(e => e.ObjectName == objectName);
        }

        if (filter.Type is not null)
        {
            if (filter.Type.Length is 0 or > MaxTypeLength)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"type must be 1 to {MaxTypeLength} characters", "type"));
            }

            var type = filter.Type;
            if (type.EndsWith('*') || type.EndsWith('.'))
            {
                var prefix = type.TrimEnd('*');
                events = events.Where(e => e.Type.StartsWith(prefix));
            }
            else
            {
                events = events.Where(e => e.Type == type);
            }
        }

        if (from is { } since)
        {
            events = events.Where(e => e.Time >= since);
        }

        if (to is { } until)
        {
            events = events.Where(e => e.Time < until);
        }

        if (filter.User is not null)
        {
            var user = filter.User;
            events = events.Where(e => e.UserName == user);
        }

        events = await VisibleAsync(actor, events, cancellationToken);
        return await events.ToPageAsync(Order, page, ToDto, cancellationToken);
    }

    public async Task<CenterEventDto> GetAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw NotFound(id);
        }

        var found = await (await VisibleAsync(actor, db.Events.AsNoTracking().Where(e => e.Id == number), cancellationToken)).SingleOrDefaultAsync(cancellationToken);
        return found is null ? throw NotFound(id) : ToDto(found);
    }

    public static CenterEventDto ToDto(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CenterEventDto(record.Id, record.Time, record.Type, record.ObjectId?.Value, record.ObjectName, record.UserName, record.TaskId?.Value, record.Message);
    }

    private async Task<IQueryable<EventRecord>> VisibleAsync(AuthenticatedUser actor, IQueryable<EventRecord> events, CancellationToken cancellationToken)
    {
        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        var centerLevel = await access.VisibilityAsync(actor.Name, CenterLevelPrivilege, cancellationToken);
        var seesCenterLevel = centerLevel.Unrestricted || centerLevel.Allows(InventoryId.RootFolder);
        return visibility.FilterByObject(events, e => e.ObjectId, db.Vms.AsNoTracking(), withoutObject: seesCenterLevel);
    }

    /// <summary>An event that does not exist and one the user may not see answer alike.</summary>
    private static DomainException NotFound(string id) =>
        new(new DomainError(ErrorCodes.InventoryNotFound, $"no event '{id}'", "id"));

    private static DateTimeOffset? Time(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"{field} '{text}' is not an ISO 8601 time such as 2026-11-23T10:00:00Z", field));
    }
}
