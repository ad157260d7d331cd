using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyperion.Cli.Tests.Fakes;

/// <summary>Self-signed certificates like the ones a host agent makes for itself.</summary>
public static class TestCertificates
{
    public static X509Certificate2 CreateSelfSigned(string subject = "CN=hyperion-test-host")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
