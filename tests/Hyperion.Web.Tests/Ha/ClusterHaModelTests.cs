using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;
using Hyperion.Web.Actions;
using Hyperion.Web.Ha;

namespace Hyperion.Web.Tests.Ha;

/// <summary>The Edit vSphere HA and Edit HA Overrides dialogs' models: starting values, checks, requests, refusals.</summary>
public sealed class ClusterHaModelTests
{
    [Fact]
    public void From_NeverConfigured_StartsOffWithTheCentersDefaultsAndEverySharedDatastore()
    {
        var model = ClusterHaModel.From(null, ["nfs-a", "shared"]);
        Assert.False(model.Enabled);
        Assert.Equal((1, HaIsolationResponses.PowerOff, true), (model.HostFailuresTolerated, model.IsolationResponse, model.VmMonitoring));
        Assert.Equal(["nfs-a", "shared"], model.HeartbeatDatastores.Order());
    }

    [Fact]
    public void From_Configured_StartsFromTheClustersSettings()
    {
        var model = ClusterHaModel.From(new ClusterHaDto(true, 2, HaIsolationResponses.LeaveOn, false, ["shared"]), ["nfs-a", "shared"]);
        Assert.Equal((true, 2, HaIsolationResponses.LeaveOn, false), (model.Enabled, model.HostFailuresTolerated, model.IsolationResponse, model.VmMonitoring));
        Assert.Equal(["shared"], model.HeartbeatDatastores);
    }

    [Fact]
    public void Validate_EmptyOrNegativeFailuresAndUnknownIsolationResponse_AreFieldErrors()
    {
        var model = ClusterHaModel.From(null, []);
        model.HostFailuresTolerated = null;
        model.IsolationResponse = "reboot";
        Assert.Equal([ClusterHaModel.FailuresField, ClusterHaModel.IsolationField], model.Validate().Select(e => e.Field));
        model.HostFailuresTolerated = -1;
        Assert.Contains(model.Validate(), e => e.Message == "host failures tolerated must be at least 0, not -1");
        model.HostFailuresTolerated = 0;
        model.IsolationResponse = HaIsolationResponses.Shutdown;
        Assert.Empty(model.Validate());
    }

    [Fact]
    public void ToRequest_OnSendsEverySetting_OffSendsOnlyOff()
    {
        var model = ClusterHaModel.From(null, ["z", "a"]);
        model.Enabled = true;
        model.HostFailuresTolerated = 0;
        var on = model.ToRequest();
        Assert.Equal((true, 0, HaIsolationResponses.PowerOff, true), (on.Enabled, on.HostFailuresTolerated, on.IsolationResponse, on.VmMonitoring));
        Assert.Equal(["a", "z"], on.HeartbeatDatastores);

        model.Enabled = false;
        Assert.Equal(new ClusterHaRequest(false), model.ToRequest());
    }

    [Fact]
    public void FieldOf_TheCentersFields_MapToTheDialogs_OthersAreGeneral()
    {
        Assert.Equal(ClusterHaModel.FailuresField, ClusterHaModel.FieldOf(new DomainError(ErrorCodes.HaInvalidConfig, "host failures tolerated (1) must be fewer than the cluster's hosts (1)", "hostFailuresTolerated")));
        Assert.Equal(ClusterHaModel.HeartbeatField, ClusterHaModel.FieldOf(new DomainError(ErrorCodes.HaInvalidConfig, "not shared", "heartbeatDatastores")));
        Assert.Equal(ClusterHaModel.IsolationField, ClusterHaModel.FieldOf(new DomainError(ErrorCodes.HaInvalidConfig, "bad", "isolationResponse")));
        Assert.Null(ClusterHaModel.FieldOf(new DomainError(ErrorCodes.HostNotConnected, "cannot enable HA: host-2 is notResponding", "enabled")));
    }

    [Fact]
    public void Overrides_CheckPriorityAndTimeoutAsTheHostDoes()
    {
        var model = VmHaOverridesModel.From(HaRestartPriorities.Medium, true, 30);
        Assert.Empty(model.Validate());
        Assert.Equal(new VmHaRequest(HaRestartPriorities.Medium, true, 30), model.ToRequest());

        model.HeartbeatTimeoutSeconds = 4;
        Assert.Equal([(VmHaOverridesModel.TimeoutField, "the heartbeat timeout is 5 to 3600 seconds, not 4")], model.Validate());
        model.HeartbeatTimeoutSeconds = 3601;
        Assert.Single(model.Validate());
        model.HeartbeatTimeoutSeconds = null;
        Assert.Equal("enter the heartbeat timeout in seconds", model.Validate().Single().Message);
        model.HeartbeatTimeoutSeconds = 3600;
        model.RestartPriority = "urgent";
        Assert.Equal([VmHaOverridesModel.PriorityField], model.Validate().Select(e => e.Field));
        Assert.Equal(HaRestartPriorities.Medium, VmHaOverridesModel.From(null, false, 60).RestartPriority);
    }

    [Fact]
    public void Overrides_AdmissionControlRefusal_BelongsToThePriority()
    {
        Assert.Equal(VmHaOverridesModel.PriorityField, VmHaOverridesModel.FieldOf(new DomainError(ErrorCodes.HaAdmissionControl, "needs 128 MiB, 0 available")));
        Assert.Equal(VmHaOverridesModel.TimeoutField, VmHaOverridesModel.FieldOf(new DomainError(ErrorCodes.HaInvalidConfig, "out of range", "heartbeatTimeoutSeconds")));
        Assert.Null(VmHaOverridesModel.FieldOf(new DomainError(ErrorCodes.HostNotConnected, "its host is not responding")));
    }

    [Fact]
    public void DialogRefusal_PutsErrorsOnTheirFields_AndTheRestInOneLine()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var refusal = new DomainException(
        [
            new DomainError(ErrorCodes.HaInvalidConfig, "too many", "hostFailuresTolerated"),
            new DomainError(ErrorCodes.HaInvalidConfig, "and negative", "hostFailuresTolerated"),
            new DomainError(ErrorCodes.HostNotConnected, "host-2 is notResponding", "enabled"),
        ]);
        var general = DialogRefusal.Apply(refusal, ClusterHaModel.FieldOf, errors);
        Assert.Equal("too many; and negative", errors[ClusterHaModel.FailuresField]);
        Assert.Equal("host-2 is notResponding", general);

        errors.Clear();
        Assert.Equal("etcd is down", DialogRefusal.Apply(new DomainException(ErrorCodes.HaInvalidConfig, "etcd is down"), ClusterHaModel.FieldOf, errors));
        Assert.Empty(errors);
    }
}
