using Hyperion.Domain.Errors;

namespace Hyperion.Domain.Ha;

/// <summary>The wire/CLI names of <see cref="HaRestartPriority"/>: <c>high</c>, <c>medium</c>, <c>low</c>, <c>disabled</c>.</summary>
public static class HaRestartPriorityNames
{
    public static string Name(HaRestartPriority priority) => priority switch
    {
        HaRestartPriority.High => "high",
        HaRestartPriority.Medium => "medium",
        HaRestartPriority.Low => "low",
        _ => "disabled",
    };

    /// <summary>Parses a name; throws <see cref="DomainException"/> (<c>ha.invalid-config</c>, field <c>restartPriority</c>) for anything else.</summary>
    public static HaRestartPriority Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "high" => HaRestartPriority.High,
        "medium" => HaRestartPriority.Medium,
        "low" => HaRestartPriority.Low,
        "disabled" => HaRestartPriority.Disabled,
        _ => throw new DomainException(new DomainError(ErrorCodes.HaInvalidConfig, $"restart priority '{name}' is not one of high, medium, low, disabled", "restartPriority")),
    };
}
