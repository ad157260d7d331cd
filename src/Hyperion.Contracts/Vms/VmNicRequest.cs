namespace Hyperion.Contracts.Vms;

/// <summary>A NIC on <see cref="Network"/> (<c>none</c>, <c>user</c> or a host bridge); a MAC is generated when none is given.</summary>
public sealed record VmNicRequest(string? Network = null, string? Mac = null);
