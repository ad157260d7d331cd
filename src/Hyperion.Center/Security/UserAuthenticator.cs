using Hyperion.Center.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Security;

/// <summary>Checks a user name and password against the users table.</summary>
public sealed class UserAuthenticator(CenterDbContext db, VerifiedPasswordCache cache)
{
    /// <returns>The user, or null for an unknown user or a wrong password (callers must not say which).</returns>
    public async Task<AuthenticatedUser?> AuthenticateAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == name, cancellationToken);
        return user is not null && cache.Verify(user, password) ? new AuthenticatedUser(user.Id, user.Name) : null;
    }
}
