using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Hyperion.Web.Library;

/// <summary>
/// Single-use tickets for the browser's direct library upload (<see cref="LibraryUploadEndpoint"/>): the circuit,
/// which knows the signed-in user, issues one for the import the dialog checked; the browser posts the file with it.
/// The API takes no changes on the session cookie, and a ticket cannot be forged cross-site: it is only ever
/// handed to the page through the circuit. Unused tickets expire after <see cref="Lifetime"/>.
/// </summary>
public sealed class UploadTickets(TimeProvider time)
{
    /// <summary>How long a ticket waits for its upload to start.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (UploadTicket Ticket, DateTimeOffset Expires)> _tickets = new(StringComparer.Ordinal);

    public string Issue(UploadTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _tickets)
        {
            if (entry.Expires <= now)
            {
                _tickets.TryRemove(id, out _);
            }
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _tickets[token] = (ticket, now + Lifetime);
        return token;
    }

    /// <summary>The ticket's import, once: null for an unknown, used or expired ticket.</summary>
    public UploadTicket? Take(string? token) =>
        token is not null && _tickets.TryRemove(token, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Ticket : null;
}
