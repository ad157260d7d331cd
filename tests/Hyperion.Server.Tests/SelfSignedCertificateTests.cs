using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Hyperion.Server.Security;
using Hyperion.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Server.Tests;

public sealed partial class SelfSignedCertificateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDirectory _dir = new("hycert");
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    private X509Certificate2 Create() =>
        SelfSignedCertificate.LoadOrCreate(_dir.Path, "host.pfx", "Hyperion host", [IPAddress.Parse("10.1.2.3"), IPAddress.Any, IPAddress.Loopback], _time);

    [GeneratedRegex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")]
    private static partial Regex FingerprintFormat();

    [Fact]
    public void LoadOrCreate_SecondCall_ReloadsSameCertificate()
    {
        using var first = Create();
        _time.Advance(TimeSpan.FromDays(3));

        using var second = Create();

        Assert.Equal(SelfSignedCertificate.Fingerprint(first), SelfSignedCertificate.Fingerprint(second));
        Assert.True(second.HasPrivateKey);
    }

    [Fact]
    public void Fingerprint_Created_Is32UpperHexPairsWithColons()
    {
        using var certificate = Create();

        Assert.Matches(FingerprintFormat(), SelfSignedCertificate.Fingerprint(certificate));
    }

    [Fact]
    public void LoadOrCreate_Created_WritesFingerprintFileAndPrivatePfx()
    {
        using var certificate = Create();

        Assert.Equal(SelfSignedCertificate.Fingerprint(certificate) + "\n", File.ReadAllText(_dir.Combine("certificate.sha256")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine("host.pfx")));
        Assert.False(File.Exists(_dir.Combine("host.pfx.tmp")));
    }

    [Fact]
    public void LoadOrCreate_Created_SanHasLoopbackLocalhostAndGivenAddressesOnly()
    {
        using var certificate = Create();

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var ips = san.EnumerateIPAddresses().ToList();
        Assert.Contains(IPAddress.Parse("127.0.0.1"), ips);
        Assert.Contains(IPAddress.Parse("10.1.2.3"), ips);
        Assert.DoesNotContain(IPAddress.Any, ips);
        Assert.Single(ips, IPAddress.Loopback);
        Assert.Contains("localhost", san.EnumerateDnsNames());
    }

    [Fact]
    public void LoadOrCreate_Created_ValidFromYesterdayForFiveYearsUsingTimeProvider()
    {
        using var certificate = Create();

        Assert.Equal(Now.AddDays(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddYears(5).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.HasPrivateKey);
    }
}
