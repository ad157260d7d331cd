namespace Hyperion.Domain.Vms;

public enum VmPowerOperation
{
    PowerOn,
    PowerOff,
    Shutdown,
    Reset,
    Suspend,
    Resume,
}
