namespace Hyperion.Center.Inventory;

/// <summary>
/// Filters of <c>GET /api/vms</c>, as the client sent them. <see cref="Name"/>: substring, ASCII case-insensitive.
/// <see cref="Host"/>: a host id or address. <see cref="Folder"/>: a VM folder id (VMs in it and its sub-folders) or a
/// datacenter id (all its VMs). <see cref="PowerState"/>: <c>poweredOn</c>, <c>poweredOff</c> or <c>suspended</c>.
/// <see cref="Tag"/>: <c>tag-N</c>, <c>Category/Name</c> or a tag name.
/// </summary>
/// <see cref="Template"/>: true lists only templates, false only VMs, null both.
public sealed record VmListFilter(string? Name = null, string? Host = null, string? Folder = null, string? PowerState = null, string? Tag = null, bool? Template = null);
