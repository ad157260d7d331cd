namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>TLS for qemu-img's NBD client: the folder QEMU's <c>tls-creds-x509</c> reads (<c>ca-cert.pem</c>,
/// <c>client-cert.pem</c>, <c>client-key.pem</c>) and the name the server's certificate must carry.</summary>
public sealed record NbdTls(string Directory, string Hostname);
