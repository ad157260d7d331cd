using Hyperion.Domain.Inventory;
using Hyperion.Web.Actions;

namespace Hyperion.Web.Library;

/// <summary>
/// A host the user may see, as the content library pages need it: its state, the user's privileges on it and on its
/// datacenter's root VM folder (where the Center records a deployed VM), and its datastores. The reasons say why an
/// operation cannot run there, checked as <c>CenterLibraryService</c> checks it; null when it can.
/// </summary>
public sealed record LibraryHost(
    string Id,
    string Address,
    int Port,
    HostConnectionState Connection,
    IReadOnlySet<string> Privileges,
    string? VmFolderId,
    string? VmFolderPath,
    IReadOnlySet<string> VmFolderPrivileges,
    IReadOnlyList<LibraryDatastore> Datastores)
{
    /// <summary><c>10.0.0.5:8443 (host-4)</c>: hosts may share an address, never an id.</summary>
    public string Label => $"{Address}:{Port} ({Id})";

    /// <summary>The Center lists, imports and deploys only on connected hosts.</summary>
    public string? NotConnected => Connection == HostConnectionState.Connected ? null : $"{Label} is {ActionRules.Describe(Connection)}";

    public string? ImportReason => NotConnected ?? Missing(Domain.Authorization.Privileges.LibraryAddItem);

    public string? DeleteReason => NotConnected ?? Missing(Domain.Authorization.Privileges.LibraryDeleteItem);

    /// <summary>Deploying creates a VM on the host and records it in the datacenter's root VM folder.</summary>
    public string? DeployReason => NotConnected
        ?? Missing(Domain.Authorization.Privileges.VmCreate)
        ?? (VmFolderPath is null ? $"{Label} is not in a datacenter" : null)
        ?? (VmFolderPrivileges.Contains(Domain.Authorization.Privileges.VmCreate) ? null : ActionRules.Lacks(Domain.Authorization.Privileges.VmCreate, $"folder {VmFolderPath}"));

    private string? Missing(string privilege) => Privileges.Contains(privilege) ? null : ActionRules.Lacks(privilege, Label);
}
