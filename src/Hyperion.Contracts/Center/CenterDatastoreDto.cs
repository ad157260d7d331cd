namespace Hyperion.Contracts.Center;

/// <summary>
/// A datastore of a datacenter, as its hosts report it: a host's <c>local</c> store is named <c>local (host-N)</c>;
/// any other type is shared, one datastore for every host that mounts the same name. <see cref="HostIds"/> are the
/// hosts that mount it.
/// </summary>
public sealed record CenterDatastoreDto(string Id, string Name, string DatacenterId, string Type, long CapacityBytes, long FreeBytes, IReadOnlyList<string> HostIds);

/// <summary>A network (a bridge on the hosts, vSphere's port group) of a datacenter, as its VMs' NICs name it.</summary>
public sealed record CenterNetworkDto(string Id, string Name, string DatacenterId);
