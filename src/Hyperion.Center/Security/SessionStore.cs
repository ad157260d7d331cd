using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Security;

/// <summary>
/// Login sessions. A token is 32 random bytes (base64url); the table keeps only its SHA-256, so a copy of the database
/// cannot be replayed. Sessions expire after <see cref="CenterOptions.SessionIdleTimeout"/> without use; each use slides
/// the expiry (written at most once per <see cref="SlideGranularity"/>, so a burst of calls is not a burst of fsyncs).
/// </summary>
public sealed class SessionStore(CenterDbContext db, TimeProvider time, CenterOptions options)
{
    public TimeSpan SlideGranularity => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, options.SessionIdleTimeout.Ticks / 10));

    /// <summary>Creates a session for <paramref name="user"/> and drops sessions that have expired.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateAsync(AuthenticatedUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var session = new SessionRecord { TokenHash = HashOf(token), UserId = user.Id, CreatedAt = now, ExpiresAt = now + options.SessionIdleTimeout };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return (token, session.ExpiresAt);
    }

    /// <returns>The session's user, or null when the token is unknown or its session expired (an expired session is deleted).</returns>
    /// <param name="slide">False to check the session without counting it as activity (the web client's periodic
    /// revalidation must not keep an idle browser tab's session alive).</param>
    public async Task<AuthenticatedUser?> ValidateAsync(string token, CancellationToken cancellationToken, bool slide = true)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = HashOf(token);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.TokenHash == hash, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (session.ExpiresAt <= now)
        {
            db.Sessions.Remove(session);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        var slid = now + options.SessionIdleTimeout;
        if (slide && slid - session.ExpiresAt >= SlideGranularity)
        {
            session.ExpiresAt = slid;
            await db.SaveChangesAsync(cancellationToken);
        }

        var name = await db.Users.Where(u => u.Id == session.UserId).Select(u => u.Name).SingleAsync(cancellationToken);
        return new AuthenticatedUser(session.UserId, name);
    }

    /// <summary>Ends the session of <paramref name="token"/>; unknown tokens are ignored (logging out twice is fine).</summary>
    public async Task DeleteAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = HashOf(token);
        await db.Sessions.Where(s => s.TokenHash == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>SHA-256 of the token as 64 lower-case hex digits, the stored form.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
