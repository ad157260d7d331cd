using Hyperion.Center.Security;
using Hyperion.Server.Security;
using Hyperion.Testing;

namespace Hyperion.Center.Tests.Security;

public sealed class CenterCertificateAuthorityTests
{
    [Fact]
    public void LoadOrCreate_FirstStart_IssuesClientCertificateChainingToItsCa()
    {
        using var dir = new TestDirectory("ca");
        using var ca = CenterCertificateAuthority.LoadOrCreate(dir.Path, TimeProvider.System);

        Assert.True(CenterTrustChain.IsIssuedBy(ca.ClientCertificate, ca.Authority, TimeProvider.System));
        Assert.True(ca.ClientCertificate.HasPrivateKey);
        Assert.Contains("BEGIN CERTIFICATE", ca.AuthorityPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", ca.AuthorityPem, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, CenterCertificateAuthority.AuthorityFileName)));
    }

    [Fact]
    public void LoadOrCreate_Restart_SameAuthorityAndClient()
    {
        using var dir = new TestDirectory("ca");
        using var first = CenterCertificateAuthority.LoadOrCreate(dir.Path, TimeProvider.System);
        using var second = CenterCertificateAuthority.LoadOrCreate(dir.Path, TimeProvider.System);

        Assert.Equal(first.Authority.Thumbprint, second.Authority.Thumbprint);
        Assert.Equal(first.ClientCertificate.Thumbprint, second.ClientCertificate.Thumbprint);
    }

    [Fact]
    public void IsIssuedBy_OtherCentersCertificateOrServerCertificate_Refused()
    {
        using var dirA = new TestDirectory("ca");
        using var dirB = new TestDirectory("ca");
        using var a = CenterCertificateAuthority.LoadOrCreate(dirA.Path, TimeProvider.System);
        using var b = CenterCertificateAuthority.LoadOrCreate(dirB.Path, TimeProvider.System);
        using var selfSigned = SelfSignedCertificate.LoadOrCreate(dirA.Path, "server.pfx", "x", [], TimeProvider.System);

        Assert.False(CenterTrustChain.IsIssuedBy(b.ClientCertificate, a.Authority, TimeProvider.System));
        Assert.False(CenterTrustChain.IsIssuedBy(selfSigned, a.Authority, TimeProvider.System));
        Assert.False(CenterTrustChain.IsIssuedBy(a.Authority, b.Authority, TimeProvider.System));
    }

    [Fact]
    public void IsIssuedBy_AfterExpiry_Refused()
    {
        using var dir = new TestDirectory("ca");
        using var ca = CenterCertificateAuthority.LoadOrCreate(dir.Path, TimeProvider.System);
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(3));

        Assert.False(CenterTrustChain.IsIssuedBy(ca.ClientCertificate, ca.Authority, later));
    }
}
