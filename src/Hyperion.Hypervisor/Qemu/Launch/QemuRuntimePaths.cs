namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>Where a running VM's sockets and logs live. Sockets sit in a short run directory (unix socket paths are limited to 107 bytes); logs sit in the VM folder.</summary>
/// <param name="GuestAgentSocket">The host end of the guest agent channel (used when <see cref="QemuLaunchConfig.GuestAgent"/> is on); null: beside the QMP socket, <c>qga.sock</c>.</param>
public sealed record QemuRuntimePaths(string QmpSocket, string SerialSocket, string SerialLog, string VncSocket, string PidFile, string? GuestAgentSocket = null)
{
    /// <summary>The guest agent socket: <see cref="GuestAgentSocket"/> or <c>qga.sock</c> in the QMP socket's directory.</summary>
    public string GuestAgent => GuestAgentSocket ?? Path.Combine(Path.GetDirectoryName(QmpSocket) ?? ".", "qga.sock");
}
