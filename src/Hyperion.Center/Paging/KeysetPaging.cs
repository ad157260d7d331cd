using Hyperion.Contracts.Center;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Paging;

/// <summary>
/// Runs a filtered query as one <see cref="PageDto{T}"/>: a count of everything the filter matches, then the rows after
/// the cursor in the keyset order, one more than the limit to learn whether a next page exists. Two queries per page,
/// whatever the page number.
/// </summary>
public static class KeysetPaging
{
    public static Task<PageDto<TDto>> ToPageAsync<T, TDto>(
        this IQueryable<T> filtered, KeysetOrder<T> order, PageRequest page, Func<T, TDto> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        return filtered.ToPageAsync(order, page, (rows, _) => Task.FromResult(rows.Select(map).ToList()), cancellationToken);
    }

    /// <param name="map">Turns the page's rows into DTOs; async so it can load what the page needs in one more query.</param>
    public static async Task<PageDto<TDto>> ToPageAsync<T, TDto>(
        this IQueryable<T> filtered,
        KeysetOrder<T> order,
        PageRequest page,
        Func<IReadOnlyList<T>, CancellationToken, Task<List<TDto>>> map,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filtered);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(map);

        // The cursor is decoded first, so a bad one is refused before any query runs.
        var after = page.Cursor is null ? filtered : order.After(filtered, page.Cursor);
        var rows = await order.Sort(after).Take(page.Limit + 1).ToListAsync(cancellationToken);
        var total = await filtered.LongCountAsync(cancellationToken);
        var more = rows.Count > page.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = await map(rows, cancellationToken);
        return new PageDto<TDto>(items, total, more ? order.CursorOf(rows[^1]) : null);
    }
}
