namespace Hyperion.Contracts;

/// <summary>
/// <c>GET /api/health</c>, anonymous, on every Hyperion server. <see cref="Product"/> tells a client which API it
/// talks to: <see cref="HostProduct"/> (a host agent, the ESXi role) or <see cref="CenterProduct"/> (the Center).
/// </summary>
public sealed record HealthDto(string Status, string Product)
{
    public const string Ok = "ok";
    public const string HostProduct = "host";
    public const string CenterProduct = "center";
}
