namespace Hyperion.Contracts.Ha;

/// <summary>Per-VM HA restart priority (vSphere's): higher ones are placed first; <c>disabled</c> means not protected.</summary>
public static class HaRestartPriorities
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";
    public const string Disabled = "disabled";

    public static IReadOnlyList<string> All { get; } = [High, Medium, Low, Disabled];
}
