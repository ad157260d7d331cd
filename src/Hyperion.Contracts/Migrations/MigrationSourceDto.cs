namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal, what a shared-nothing destination needs from the source: the VM's configuration (<c>vm.json</c>),
/// each disk's virtual size (in the configuration's order) and the bytes the disks occupy.
/// </summary>
public sealed record MigrationSourceDto(string Config, IReadOnlyList<long> DiskSizes, long AllocatedBytes);
