using System.Net.Security;
using System.Security.Cryptography;
using Hyperion.Cli.Api;
using Hyperion.Cli.Tests.Fakes;

namespace Hyperion.Cli.Tests.Api;

public sealed class ServerCertificateValidatorTests
{
    private const string Hex = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

    [Theory]
    [InlineData(Hex)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("01:23:45:67:89:AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF")]
    [InlineData("  01:23:45:67:89:ab:cd:ef:0123456789abcdef0123456789ABCDEF0123456789ABCDEF ")]
    public void NormalizeFingerprint_HexWithOrWithoutColonsAnyCase_ReturnsUpperHex(string input)
    {
        Assert.Equal(Hex, ServerCertificateValidator.NormalizeFingerprint(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0123")]
    [InlineData(Hex + "00")]
    [InlineData("G123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("SHA256:q3a1YtLa6c2wBf2iXoy8E7rb4rA4LXQUeSRDqMzaYw8")]
    public void NormalizeFingerprint_NotSha256Hex_ReturnsNull(string input)
    {
        Assert.Null(ServerCertificateValidator.NormalizeFingerprint(input));
    }

    [Fact]
    public void FormatFingerprint_Normalized_InsertsColons()
    {
        Assert.Equal("01:23:45:67:89:AB:CD:EF", ServerCertificateValidator.FormatFingerprint("0123456789ABCDEF"));
    }

    [Fact]
    public void ComputeFingerprint_Certificate_IsSha256OfDer()
    {
        using var certificate = TestCertificates.CreateSelfSigned();

        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), ServerCertificateValidator.ComputeFingerprint(certificate));
    }

    [Fact]
    public void Validate_UntrustedWithoutPin_RejectsAndRemembersFingerprint()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var validator = new ServerCertificateValidator(insecure: false, pinnedFingerprint: null);

        Assert.False(validator.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));

        var expected = ServerCertificateValidator.ComputeFingerprint(certificate);
        Assert.Equal(expected, validator.RejectedFingerprint);
        var message = validator.DescribeRejection(new Uri("https://esx1:8443"));
        Assert.Contains("esx1:8443", message, StringComparison.Ordinal);
        Assert.Contains("--fingerprint " + ServerCertificateValidator.FormatFingerprint(expected), message, StringComparison.Ordinal);
        Assert.Contains("--insecure", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TrustedWithoutPin_Accepts()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var validator = new ServerCertificateValidator(insecure: false, pinnedFingerprint: null);

        Assert.True(validator.Validate(certificate, SslPolicyErrors.None));
        Assert.Null(validator.RejectedFingerprint);
    }

    [Fact]
    public void Validate_MatchingPinInAnySpelling_AcceptsUntrustedCertificate()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var pin = ServerCertificateValidator.FormatFingerprint(ServerCertificateValidator.ComputeFingerprint(certificate)).ToLowerInvariant();
        var validator = new ServerCertificateValidator(insecure: false, pin);

        Assert.True(validator.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void Validate_PinMismatch_RejectsEvenTrustedCertificate()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var validator = new ServerCertificateValidator(insecure: false, Hex);

        Assert.False(validator.Validate(certificate, SslPolicyErrors.None));
        Assert.True(validator.RejectedForMismatch);
        Assert.Contains("does not match", validator.DescribeRejection(new Uri("https://esx1:8443")), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Insecure_AcceptsAnything()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var validator = new ServerCertificateValidator(insecure: true, pinnedFingerprint: null);

        Assert.True(validator.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(validator.Validate(null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void Constructor_MalformedPin_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ServerCertificateValidator(insecure: false, "abc"));
    }
}
