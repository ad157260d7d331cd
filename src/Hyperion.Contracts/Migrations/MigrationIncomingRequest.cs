namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal, from the Center to the destination host: start a paused QEMU for the VM whose folder is
/// <see cref="Folder"/> in <see cref="Datastore"/> (a datastore both hosts mount) and listen for its migration stream.
/// </summary>
public sealed record MigrationIncomingRequest(string Datastore, string Folder, string Uuid)
{
    /// <summary>Enable post-copy on the destination too (both ends must agree before the stream starts).</summary>
    public bool Postcopy { get; init; }

    /// <summary>The VM's configuration (<c>vm.json</c>) when the destination cannot read it from a shared folder.</summary>
    public string? Config { get; init; }
}
