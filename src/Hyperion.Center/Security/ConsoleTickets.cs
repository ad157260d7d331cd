using System.Collections.Concurrent;
using System.Security.Cryptography;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Security;

/// <summary>
/// Console tickets: 32 random bytes, bound to one user and one VM, valid for <see cref="Lifetime"/> and for one
/// connection. In memory only: a ticket outlives neither its minute nor the Center process, which is the point.
/// </summary>
public sealed class ConsoleTickets(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Entry> _tickets = new(StringComparer.Ordinal);

    public (string Ticket, DateTimeOffset ExpiresAt) Issue(AuthenticatedUser user, InventoryId vm)
    {
        ArgumentNullException.ThrowIfNull(user);
        Prune();
        var ticket = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow() + Lifetime;
        _tickets[ticket] = new Entry(user, vm, expires);
        return (ticket, expires);
    }

    /// <summary>The user the ticket was issued to, if it is valid for <paramref name="vm"/>; the ticket is spent either way.</summary>
    public AuthenticatedUser? Redeem(string? ticket, InventoryId vm)
    {
        if (string.IsNullOrEmpty(ticket) || !_tickets.TryRemove(ticket, out var entry))
        {
            return null;
        }

        return entry.Vm == vm && entry.ExpiresAt > time.GetUtcNow() ? entry.User : null;
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _tickets)
        {
            if (entry.ExpiresAt <= now)
            {
                _tickets.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(AuthenticatedUser User, InventoryId Vm, DateTimeOffset ExpiresAt);
}
