using Hyperion.Center.Ha;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;

namespace Hyperion.Web.Ha;

/// <summary>
/// The "Edit vSphere HA" dialog's settings and their checks: on or off, admission control's host failures tolerated,
/// the isolation response, VM monitoring and the heartbeat datastores. What depends on the cluster as it is when the
/// request arrives (its host count, every host connected and mounting the datastores) is the Center's to judge; its
/// refusals are mapped back to the fields with <see cref="FieldOf"/>.
/// </summary>
public sealed class ClusterHaModel
{
    public const string EnabledField = "enabled";
    public const string FailuresField = "hostFailuresTolerated";
    public const string IsolationField = "isolationResponse";
    public const string HeartbeatField = "heartbeatDatastores";

    public bool Enabled { get; set; }

    /// <summary>Null while the box is empty.</summary>
    public int? HostFailuresTolerated { get; set; } = ClusterHaMapper.DefaultHostFailuresTolerated;

    public string IsolationResponse { get; set; } = HaIsolationResponses.PowerOff;

    public bool VmMonitoring { get; set; } = true;

    public HashSet<string> HeartbeatDatastores { get; } = new(StringComparer.Ordinal);

    /// <summary>The dialog's starting values: the cluster's settings, or the Center's first defaults when HA was never configured (one host failure, power off, VM monitoring on, every shared datastore).</summary>
    /// <param name="settings">The cluster's HA settings (null: never configured).</param>
    /// <param name="choices">The datastores every host of the cluster shares.</param>
    public static ClusterHaModel From(ClusterHaDto? settings, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var model = new ClusterHaModel();
        if (settings is null)
        {
            model.HeartbeatDatastores.UnionWith(choices);
            return model;
        }

        model.Enabled = settings.Enabled;
        model.HostFailuresTolerated = settings.HostFailuresTolerated;
        model.IsolationResponse = settings.IsolationResponse;
        model.VmMonitoring = settings.VmMonitoring;
        model.HeartbeatDatastores.UnionWith(settings.HeartbeatDatastores);
        return model;
    }

    /// <summary>The fields' problems (empty when the request may be sent).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (HostFailuresTolerated is not { } failures)
        {
            errors.Add((FailuresField, "enter how many host failures the cluster tolerates (0 turns admission control off)"));
        }
        else if (failures < 0)
        {
            errors.Add((FailuresField, $"host failures tolerated must be at least 0, not {failures}"));
        }

        if (!HaIsolationResponses.All.Contains(IsolationResponse, StringComparer.Ordinal))
        {
            errors.Add((IsolationField, $"the isolation response is one of {string.Join(", ", HaIsolationResponses.All)}"));
        }

        return errors;
    }

    /// <summary>
    /// The request. Turning HA off sends only that (the settings are kept for the next time); turning it on or
    /// changing it sends every setting, the heartbeat datastores sorted.
    /// </summary>
    public ClusterHaRequest ToRequest() => Enabled
        ? new ClusterHaRequest(true, HostFailuresTolerated, IsolationResponse, VmMonitoring, HeartbeatDatastores.Order(StringComparer.Ordinal).ToList())
        : new ClusterHaRequest(false);

    /// <summary>The dialog field an error the Center returned belongs to (by its field, else by its code), or null for a general one.</summary>
    public static string? FieldOf(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field switch
        {
            FailuresField => FailuresField,
            IsolationField => IsolationField,
            HeartbeatField => HeartbeatField,
            _ => null,
        };
    }
}
