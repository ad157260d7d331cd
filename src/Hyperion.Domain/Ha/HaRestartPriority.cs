namespace Hyperion.Domain.Ha;

/// <summary>A VM's HA restart priority; higher values are placed first. <see cref="Disabled"/>: not protected.</summary>
public enum HaRestartPriority
{
    Disabled = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}
