using Hyperion.Lab.State;

namespace Hyperion.Lab.Tests.State;

public sealed class LabEnvFileTests
{
    private const string Fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    [Fact]
    public void Render_LabCenter_WritesTheCliVariablesPlainly()
    {
        var text = LabEnvFile.Render("lab", new Uri("https://10.99.0.1:9443/"), "administrator", "Pw23abc", Fingerprint);

        Assert.StartsWith("# Hyperion lab 'lab'", text, StringComparison.Ordinal);
        Assert.Contains("\nHYPERION_SERVER=https://10.99.0.1:9443\n", text, StringComparison.Ordinal);
        Assert.Contains("\nHYPERION_USER=administrator\n", text, StringComparison.Ordinal);
        Assert.Contains("\nHYPERION_PASSWORD=Pw23abc\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nHYPERION_FINGERPRINT={Fingerprint}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("it's $HOME `x` \"q\"")]
    public void Parse_Rendered_RoundTripsAnyPassword(string password)
    {
        var text = LabEnvFile.Render("lab", new Uri("https://10.99.0.1:9443"), "administrator", password, Fingerprint);

        var values = LabEnvFile.Parse(text);

        Assert.Equal(password, values[LabEnvFile.PasswordVariable]);
        Assert.Equal("https://10.99.0.1:9443", values[LabEnvFile.ServerVariable]);
        Assert.Equal(4, values.Count);
    }

    [Fact]
    public void Write_NewFile_IsOwnerReadWriteOnly()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "lab.env");

        LabEnvFile.Write(path, "HYPERION_USER=x\n");
        LabEnvFile.Write(path, "HYPERION_USER=y\n");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("HYPERION_USER=y\n", File.ReadAllText(path));
    }

    [Fact]
    public void NewPassword_Twice_DifferAndAreShellSafe()
    {
        var a = LabSecrets.NewPassword();
        var b = LabSecrets.NewPassword();

        Assert.NotEqual(a, b);
        Assert.Equal(24, a.Length);
        Assert.All(a, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }
}
