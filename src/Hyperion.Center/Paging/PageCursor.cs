using System.Buffers.Text;
using System.Text.Json;
using Hyperion.Domain.Errors;

namespace Hyperion.Center.Paging;

/// <summary>
/// The text of a page cursor: the sort key of the last item of a page, as a JSON array of strings, base64url-encoded.
/// Clients treat it as opaque; <see cref="KeysetOrder{T}"/> gives the parts their types back.
/// </summary>
public static class PageCursor
{
    /// <summary>Longest cursor accepted: a few keys of at most a few hundred characters each.</summary>
    public const int MaxLength = 2048;

    public static string Encode(IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(parts));
    }

    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> unless <paramref name="cursor"/> is an array of <paramref name="count"/> strings.</exception>
    public static IReadOnlyList<string> Decode(string cursor, int count)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Length is 0 or > MaxLength)
        {
            throw Invalid();
        }

        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(cursor));
            if (parts is not null && parts.Length == count && parts.All(p => p is not null))
            {
                return parts;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Falls through to the problem below.
        }

        throw Invalid();
    }

    public static DomainException Invalid() =>
        new(new DomainError(ErrorCodes.InvalidArgument, "cursor is not one this list handed out (pass the page's 'next' unchanged)", "cursor"));
}
