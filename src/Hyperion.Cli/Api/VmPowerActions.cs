namespace Hyperion.Cli.Api;

/// <summary>Maps <see cref="VmPowerAction"/> to its REST path segment and CLI verb (they are the same word).</summary>
public static class VmPowerActions
{
    public static string ToPathSegment(this VmPowerAction action) => action switch
    {
        VmPowerAction.PowerOn => "power-on",
        VmPowerAction.PowerOff => "power-off",
        VmPowerAction.Reset => "reset",
        VmPowerAction.Suspend => "suspend",
        VmPowerAction.Resume => "resume",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
