namespace Hyperion.Host.Vms;

/// <summary>Why the agent expects a VM's QEMU to exit, if it does.</summary>
internal enum ExpectedExit
{
    None,
    PowerOff,
    Shutdown,
}
