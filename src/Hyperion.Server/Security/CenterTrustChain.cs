using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyperion.Server.Security;

/// <summary>
/// Whether a client certificate was issued by a given Center CA: the chain must build to exactly that CA (custom
/// root trust, nothing from the system store), be within its validity, and carry the client-authentication usage.
/// </summary>
public static class CenterTrustChain
{
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    public static bool IsIssuedBy(X509Certificate2 client, X509Certificate2 authority, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(time);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        if (!chain.Build(client))
        {
            return false;
        }

        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }
}
