namespace Hyperion.Cli.Api;

/// <summary>The power operations that take no arguments; the value's path segment is <see cref="VmPowerActions.ToPathSegment"/>.</summary>
public enum VmPowerAction
{
    PowerOn,
    PowerOff,
    Reset,
    Suspend,
    Resume,
}
