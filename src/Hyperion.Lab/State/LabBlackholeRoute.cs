namespace Hyperion.Lab.State;

/// <summary>A <c>blackhole</c> route a partition added: in namespace <see cref="Namespace"/>, to <see cref="Destination"/> (<c>A/32</c>).</summary>
public sealed record LabBlackholeRoute(string Namespace, string Destination);
