namespace Hyperion.Center.Hosts;

/// <summary>Everything needed to call one host agent: where, which certificate to trust (normalized fingerprint), and as whom.</summary>
public sealed record HostConnectionSettings(HostEndpoint Endpoint, string Fingerprint, string? UserName, string? Password);
