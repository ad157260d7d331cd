namespace Hyperion.Host.Ha;

/// <summary>What a host publishes under its lease-bound key: who it is and what it can still take.</summary>
internal sealed record HaHostRecord(string HostId, string HostName, long FreeMemoryMiB, long TotalMemoryMiB, bool Maintenance);
