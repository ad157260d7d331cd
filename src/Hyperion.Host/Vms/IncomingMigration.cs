using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Host.Vms;

/// <summary>
/// A VM arriving by live migration: a paused QEMU listening for the stream, under the VM id reserved for it. It is not
/// registered (not in the inventory, not listed) until the Center finishes the migration; until then it can be
/// aborted, and an agent restart kills it (its run directory names no registered VM).
/// </summary>
internal sealed class IncomingMigration(string id, string vmId, string datastore, string folder, string folderPath, VmSpec spec, IVmInstance instance)
{
    public string Id { get; } = id;

    /// <summary>The <c>vm-N</c> id reserved for the VM here; its runtime directory is already <c>run/vm-N</c>.</summary>
    public string VmId { get; } = vmId;

    public string Datastore { get; } = datastore;

    /// <summary>The VM's folder relative to the datastore.</summary>
    public string Folder { get; } = folder;

    public string FolderPath { get; } = folderPath;

    public VmSpec Spec { get; } = spec;

    public IVmInstance Instance { get; } = instance;

    /// <summary>Serialises finish and abort.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public bool Done { get; set; }

    /// <summary>Shared-nothing: this host created the folder (and deletes it if the migration is aborted).</summary>
    public bool OwnsFolder { get; init; }

    /// <summary>Shared-nothing: the incoming QEMU serves the disks over NBD until the finish stops it.</summary>
    public bool DisksExported { get; set; }

    /// <summary>A powered-off VM's disks only: the finish stops its QEMU and registers the VM powered off.</summary>
    public bool PoweredOff { get; init; }

    /// <summary>Single-use secret that lets the source start the guest here (<c>POST …/switchover</c>).</summary>
    public string SwitchoverToken { get; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(64, lowercase: true);
}
