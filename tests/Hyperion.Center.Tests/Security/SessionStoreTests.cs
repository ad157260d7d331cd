using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Security;

/// <summary>Sessions against a real SQLite database with fake time: idle expiry, sliding, logout, hash-only storage.</summary>
public sealed class SessionStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly CenterOptions _options = new() { DataDirectory = "/unused", SessionIdleTimeout = Idle };
    private SqliteCenter _center = null!;
    private AuthenticatedUser _user = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        await using var db = _center.Factory.CreateDbContext();
        var record = new UserRecord { Name = "alice", PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = _time.GetUtcNow() };
        db.Users.Add(record);
        await db.SaveChangesAsync(Ct);
        _user = new AuthenticatedUser(record.Id, record.Name);
    }

    public async Task DisposeAsync() => await _center.DisposeAsync();

    [Fact]
    public async Task CreateAsync_NewSession_StoresOnlyTokenHash()
    {
        var (token, expiresAt) = await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        Assert.Equal(_time.GetUtcNow() + Idle, expiresAt);
        await using var db = _center.Factory.CreateDbContext();
        var stored = await db.Sessions.SingleAsync(Ct);
        Assert.Equal(SessionStore.HashOf(token), stored.TokenHash);
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(64, stored.TokenHash.Length);
    }

    [Fact]
    public async Task ValidateAsync_UsedWithinIdleTimeout_SlidesExpiry()
    {
        var (token, _) = await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(_user, await WithStoreAsync(s => s.ValidateAsync(token, Ct)));
        _time.Advance(TimeSpan.FromMinutes(20));
        var user = await WithStoreAsync(s => s.ValidateAsync(token, Ct));

        Assert.Equal(_user, user);
    }

    [Fact]
    public async Task ValidateAsync_WithoutSliding_ChecksButDoesNotKeepAnIdleSessionAlive()
    {
        // The web client re-checks an open page's session periodically: that must not count as activity.
        var (token, _) = await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(_user, await WithStoreAsync(s => s.ValidateAsync(token, Ct, slide: false)));
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await WithStoreAsync(s => s.ValidateAsync(token, Ct, slide: false)));
    }

    [Fact]
    public async Task ValidateAsync_IdleLongerThanTimeout_ExpiredAndDeleted()
    {
        var (token, _) = await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        _time.Advance(Idle);
        var user = await WithStoreAsync(s => s.ValidateAsync(token, Ct));

        Assert.Null(user);
        await using var db = _center.Factory.CreateDbContext();
        Assert.False(await db.Sessions.AnyAsync(Ct));
    }

    [Fact]
    public async Task DeleteAsync_LoggedOut_TokenRejected()
    {
        var (token, _) = await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        await WithStoreAsync(async s =>
        {
            await s.DeleteAsync(token, Ct);
            return true;
        });

        Assert.Null(await WithStoreAsync(s => s.ValidateAsync(token, Ct)));
    }

    [Fact]
    public async Task ValidateAsync_UnknownToken_Null()
    {
        await WithStoreAsync(s => s.CreateAsync(_user, Ct));

        Assert.Null(await WithStoreAsync(s => s.ValidateAsync("not-a-token", Ct)));
    }

    /// <summary>Each call on its own context, as each HTTP request gets its own.</summary>
    private async Task<T> WithStoreAsync<T>(Func<SessionStore, Task<T>> action)
    {
        await using var db = _center.Factory.CreateDbContext();
        return await action(new SessionStore(db, _time, _options));
    }
}
