using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;

namespace Hyperion.Web.Ha;

/// <summary>
/// The VM's "Edit HA overrides" dialog: its restart priority (<c>disabled</c>: not protected), VM monitoring and VM
/// monitoring's heartbeat timeout, checked as the host checks them; the Center's refusals (admission control when a
/// running VM becomes protected) are mapped back with <see cref="FieldOf"/>.
/// </summary>
public sealed class VmHaOverridesModel
{
    public const string PriorityField = "restartPriority";
    public const string MonitoringField = "monitoring";
    public const string TimeoutField = "heartbeatTimeoutSeconds";

    /// <summary>The heartbeat timeout's bounds, as the host enforces them (<c>PUT /api/vms/{id}/ha</c>).</summary>
    public const int MinTimeoutSeconds = 5;
    public const int MaxTimeoutSeconds = 3600;

    public string RestartPriority { get; set; } = HaRestartPriorities.Medium;

    public bool Monitoring { get; set; } = true;

    /// <summary>Null while the box is empty.</summary>
    public int? HeartbeatTimeoutSeconds { get; set; } = 30;

    public static VmHaOverridesModel From(string? restartPriority, bool monitoring, int heartbeatTimeoutSeconds) => new()
    {
        RestartPriority = restartPriority ?? HaRestartPriorities.Medium,
        Monitoring = monitoring,
        HeartbeatTimeoutSeconds = heartbeatTimeoutSeconds,
    };

    /// <summary>The fields' problems (empty when the request may be sent).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (!HaRestartPriorities.All.Contains(RestartPriority, StringComparer.Ordinal))
        {
            errors.Add((PriorityField, $"the restart priority is one of {string.Join(", ", HaRestartPriorities.All)}"));
        }

        if (HeartbeatTimeoutSeconds is not { } timeout)
        {
            errors.Add((TimeoutField, "enter the heartbeat timeout in seconds"));
        }
        else if (timeout is < MinTimeoutSeconds or > MaxTimeoutSeconds)
        {
            errors.Add((TimeoutField, $"the heartbeat timeout is {MinTimeoutSeconds} to {MaxTimeoutSeconds} seconds, not {timeout}"));
        }

        return errors;
    }

    public VmHaRequest ToRequest() => new(RestartPriority, Monitoring, HeartbeatTimeoutSeconds);

    /// <summary>The dialog field an error the Center returned belongs to (by its field, else by its code), or null for a general one.</summary>
    public static string? FieldOf(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field switch
        {
            PriorityField => PriorityField,
            MonitoringField => MonitoringField,
            TimeoutField => TimeoutField,
            _ => error.Code == ErrorCodes.HaAdmissionControl ? PriorityField : null,
        };
    }
}
