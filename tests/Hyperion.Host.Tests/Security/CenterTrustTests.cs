using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyperion.Domain.Errors;
using Hyperion.Host.Security;
using Hyperion.Server.Security;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Security;

public sealed class CenterTrustTests
{
    [Fact]
    public void Install_CaCertificate_TrustsItsClientsAcrossRestarts()
    {
        using var dir = new TestDirectory("trust");
        using var ca = CreateAuthority("A");
        using var client = Issue(ca, clientAuth: true);
        var trust = new CenterTrust(dir.Path, TimeProvider.System);
        Assert.Null(trust.AuthorityFingerprint);
        Assert.False(trust.Trusts(client));

        trust.Install(ca.ExportCertificatePem());
        var restarted = new CenterTrust(dir.Path, TimeProvider.System);

        Assert.True(trust.Trusts(client));
        Assert.True(restarted.Trusts(client));
        Assert.Equal(SelfSignedCertificate.Fingerprint(ca), restarted.AuthorityFingerprint);
    }

    [Fact]
    public void Install_AnotherCenter_ReplacesTheFirst()
    {
        using var dir = new TestDirectory("trust");
        using var first = CreateAuthority("A");
        using var second = CreateAuthority("B");
        using var firstClient = Issue(first, clientAuth: true);
        using var secondClient = Issue(second, clientAuth: true);
        var trust = new CenterTrust(dir.Path, TimeProvider.System);

        trust.Install(first.ExportCertificatePem());
        trust.Install(second.ExportCertificatePem());

        Assert.False(trust.Trusts(firstClient));
        Assert.True(trust.Trusts(secondClient));
    }

    [Fact]
    public void Trusts_ServerOnlyCertificateFromTheCa_Refused()
    {
        using var dir = new TestDirectory("trust");
        using var ca = CreateAuthority("A");
        using var serverOnly = Issue(ca, clientAuth: false);
        var trust = new CenterTrust(dir.Path, TimeProvider.System);
        trust.Install(ca.ExportCertificatePem());

        Assert.False(trust.Trusts(serverOnly));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    public void Install_NotPem_InvalidArgumentAndNothingWritten(string pem)
    {
        using var dir = new TestDirectory("trust");
        var trust = new CenterTrust(dir.Path, TimeProvider.System);

        var error = Assert.Throws<DomainException>(() => trust.Install(pem));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.False(File.Exists(Path.Combine(dir.Path, CenterTrust.FileName)));
    }

    [Fact]
    public void Install_LeafCertificate_RefusedAsNotACa()
    {
        using var dir = new TestDirectory("trust");
        using var ca = CreateAuthority("A");
        using var leaf = Issue(ca, clientAuth: true);
        var trust = new CenterTrust(dir.Path, TimeProvider.System);

        var error = Assert.Throws<DomainException>(() => trust.Install(leaf.ExportCertificatePem()));

        Assert.Contains("not a CA", error.Message, StringComparison.Ordinal);
        Assert.Null(trust.AuthorityFingerprint);
    }

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Test CA {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, bool clientAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(clientAuth ? CenterTrustChain.ClientAuthenticationOid : "1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        return issued.CopyWithPrivateKey(key);
    }
}
