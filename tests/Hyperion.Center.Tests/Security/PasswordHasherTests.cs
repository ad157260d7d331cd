using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;

namespace Hyperion.Center.Tests.Security;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Apply_Password_StoresSaltedPbkdf2WithAtLeast210kIterations()
    {
        var user = NewUser();

        PasswordHasher.Apply(user, "correct horse");

        Assert.True(user.PasswordIterations >= 210_000);
        Assert.Equal(PasswordHasher.SaltBytes, user.PasswordSalt.Length);
        Assert.Equal(PasswordHasher.HashBytes, user.PasswordHash.Length);
        Assert.True(PasswordHasher.Verify(user, "correct horse"));
        Assert.False(PasswordHasher.Verify(user, "correct horse "));
    }

    [Fact]
    public void Apply_SamePasswordTwice_DifferentSaltAndHash()
    {
        var first = NewUser();
        var second = NewUser();

        PasswordHasher.Apply(first, "same password");
        PasswordHasher.Apply(second, "same password");

        Assert.NotEqual(first.PasswordSalt, second.PasswordSalt);
        Assert.NotEqual(first.PasswordHash, second.PasswordHash);
    }

    [Fact]
    public void Verify_CachedAfterSuccess_StillRejectsWrongPasswordAndChangedHash()
    {
        var cache = new VerifiedPasswordCache();
        var user = NewUser();
        PasswordHasher.Apply(user, "first password");

        Assert.True(cache.Verify(user, "first password"));
        Assert.True(cache.Verify(user, "first password"));
        Assert.False(cache.Verify(user, "other password"));
        PasswordHasher.Apply(user, "second password");
        Assert.False(cache.Verify(user, "first password"));
        Assert.True(cache.Verify(user, "second password"));
    }

    private static UserRecord NewUser() => new() { Name = "alice", PasswordHash = [], PasswordSalt = [] };
}
