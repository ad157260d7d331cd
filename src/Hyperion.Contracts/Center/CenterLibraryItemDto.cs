using Hyperion.Contracts.Library;

namespace Hyperion.Contracts.Center;

/// <summary>A content library item as the Center lists it: the host whose datastore keeps it, and the item.</summary>
public sealed record CenterLibraryItemDto(string HostId, string HostAddress, LibraryItemDto Item);

/// <summary>
/// <c>POST /api/library/{item}/deploy</c> on the Center (a task): the host's deploy request plus where the VM goes in
/// the inventory. <see cref="Host"/> names the host keeping the item when several hosts have one of that name.
/// </summary>
public sealed record CenterLibraryDeployRequest(LibraryDeployRequest Deploy)
{
    public string? Host { get; init; }

    public string? Folder { get; init; }
}
