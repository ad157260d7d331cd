using System.Globalization;
using Hyperion.Domain.Errors;

namespace Hyperion.Center.Paging;

/// <summary>
/// The paging part of a list request: <c>?limit=</c> (default <see cref="DefaultLimit"/>, at most
/// <see cref="MaxLimit"/>) and <c>?cursor=</c> (the <c>next</c> of the previous page, opaque to clients).
/// </summary>
public sealed record PageRequest(int Limit, string? Cursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static PageRequest First { get; } = new(DefaultLimit, null);

    /// <summary>Parses the query parameters as the client sent them (text, so a bad number is our 400, not the binder's).</summary>
    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> for a limit that is not 1–<see cref="MaxLimit"/> or an empty cursor.</exception>
    public static PageRequest Parse(string? limit, string? cursor)
    {
        var value = DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > MaxLimit))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"limit '{limit}' is not a number from 1 to {MaxLimit}", "limit"));
        }

        if (cursor is { Length: 0 })
        {
            throw PageCursor.Invalid();
        }

        return new PageRequest(value, cursor);
    }
}
