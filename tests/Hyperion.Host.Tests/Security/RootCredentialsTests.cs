using Hyperion.Host.Security;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Security;

public sealed class RootCredentialsTests : IDisposable
{
    private readonly TestDirectory _dir = new("hycred");

    public void Dispose() => _dir.Dispose();

    private string File_ => _dir.Combine("credentials.json");

    [Fact]
    public void LoadOrCreate_FirstStartWithoutPassword_GeneratesOneThatVerifies()
    {
        var credentials = RootCredentials.LoadOrCreate(_dir.Path, null, out var generated);

        Assert.NotNull(generated);
        Assert.Equal(20, generated.Length);
        Assert.True(credentials.Verify("root", generated));
    }

    [Fact]
    public void LoadOrCreate_SecondStart_NoGeneratedPasswordAndSamePasswordVerifies()
    {
        RootCredentials.LoadOrCreate(_dir.Path, null, out var generated);

        var again = RootCredentials.LoadOrCreate(_dir.Path, null, out var second);

        Assert.Null(second);
        Assert.True(again.Verify("root", generated!));
    }

    [Fact]
    public void LoadOrCreate_TwoHosts_GenerateDifferentPasswords()
    {
        using var other = new TestDirectory("hycred");

        RootCredentials.LoadOrCreate(_dir.Path, null, out var a);
        RootCredentials.LoadOrCreate(other.Path, null, out var b);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Verify_WrongPasswordOrUser_False()
    {
        var credentials = RootCredentials.LoadOrCreate(_dir.Path, "s3cret-pass", out _);

        Assert.False(credentials.Verify("root", "wrong"));
        Assert.False(credentials.Verify("root", "S3cret-pass"));
        Assert.False(credentials.Verify("root", string.Empty));
        Assert.False(credentials.Verify("admin", "s3cret-pass"));
        Assert.False(credentials.Verify("Root", "s3cret-pass"));
        Assert.True(credentials.Verify("root", "s3cret-pass"));
        Assert.True(credentials.Verify("root", "s3cret-pass"));
    }

    [Fact]
    public void LoadOrCreate_InitialPassword_HonouredAndNotReportedAsGenerated()
    {
        var credentials = RootCredentials.LoadOrCreate(_dir.Path, "initial-pw", out var generated);

        Assert.Null(generated);
        Assert.True(credentials.Verify("root", "initial-pw"));
        Assert.DoesNotContain("initial-pw", File.ReadAllText(File_), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_InitialPasswordAfterFirstStart_Ignored()
    {
        RootCredentials.LoadOrCreate(_dir.Path, "first", out _);

        var credentials = RootCredentials.LoadOrCreate(_dir.Path, "second", out var generated);

        Assert.Null(generated);
        Assert.True(credentials.Verify("root", "first"));
        Assert.False(credentials.Verify("root", "second"));
    }

    [Fact]
    public void LoadOrCreate_Created_FileIsOwnerReadWriteOnly()
    {
        RootCredentials.LoadOrCreate(_dir.Path, "pw", out _);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(File_));
        Assert.False(File.Exists(File_ + ".tmp"));
    }
}
