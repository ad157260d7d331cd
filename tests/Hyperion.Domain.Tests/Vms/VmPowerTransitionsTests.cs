using Hyperion.Domain.Vms;

namespace Hyperion.Domain.Tests.Vms;

public sealed class VmPowerTransitionsTests
{
    /// <summary>The whole table: state, operation, allowed, target, no-op, and (for refusals) the exact reason.</summary>
    public static TheoryData<VmPowerState, VmPowerOperation, bool, VmPowerState, bool, string?> Table => new()
    {
        { VmPowerState.PoweredOff, VmPowerOperation.PowerOn, true, VmPowerState.PoweredOn, false, null },
        { VmPowerState.PoweredOff, VmPowerOperation.PowerOff, true, VmPowerState.PoweredOff, true, null },
        { VmPowerState.PoweredOff, VmPowerOperation.Shutdown, false, VmPowerState.PoweredOff, false, "cannot shut down a powered-off VM" },
        { VmPowerState.PoweredOff, VmPowerOperation.Reset, false, VmPowerState.PoweredOff, false, "cannot reset a powered-off VM" },
        { VmPowerState.PoweredOff, VmPowerOperation.Suspend, false, VmPowerState.PoweredOff, false, "cannot suspend a powered-off VM" },
        { VmPowerState.PoweredOff, VmPowerOperation.Resume, false, VmPowerState.PoweredOff, false, "cannot resume a powered-off VM" },

        { VmPowerState.PoweredOn, VmPowerOperation.PowerOn, true, VmPowerState.PoweredOn, true, null },
        { VmPowerState.PoweredOn, VmPowerOperation.PowerOff, true, VmPowerState.PoweredOff, false, null },
        { VmPowerState.PoweredOn, VmPowerOperation.Shutdown, true, VmPowerState.PoweredOff, false, null },
        { VmPowerState.PoweredOn, VmPowerOperation.Reset, true, VmPowerState.PoweredOn, false, null },
        { VmPowerState.PoweredOn, VmPowerOperation.Suspend, true, VmPowerState.Suspended, false, null },
        { VmPowerState.PoweredOn, VmPowerOperation.Resume, true, VmPowerState.PoweredOn, true, null },

        { VmPowerState.Suspended, VmPowerOperation.PowerOn, true, VmPowerState.PoweredOn, false, null },
        { VmPowerState.Suspended, VmPowerOperation.PowerOff, true, VmPowerState.PoweredOff, false, null },
        { VmPowerState.Suspended, VmPowerOperation.Shutdown, false, VmPowerState.Suspended, false, "cannot shut down a suspended VM: the guest cannot see the power button; resume it first or power it off" },
        { VmPowerState.Suspended, VmPowerOperation.Reset, false, VmPowerState.Suspended, false, "cannot reset a suspended VM: resume it first" },
        { VmPowerState.Suspended, VmPowerOperation.Suspend, true, VmPowerState.Suspended, true, null },
        { VmPowerState.Suspended, VmPowerOperation.Resume, true, VmPowerState.PoweredOn, false, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_EveryStateAndOperation_MatchesTable(VmPowerState current, VmPowerOperation operation, bool allowed, VmPowerState target, bool noOp, string? reason)
    {
        var decision = VmPowerTransitions.Decide(current, operation);

        Assert.Equal(new PowerDecision(allowed, target, noOp, reason), decision);
    }

    [Fact]
    public void Table_CoversEveryStateOperationPair_Exactly()
    {
        var expected = Enum.GetValues<VmPowerState>()
            .SelectMany(s => Enum.GetValues<VmPowerOperation>().Select(o => (s, o)))
            .ToHashSet();
        var covered = Table.Select(row => ((VmPowerState)row[0], (VmPowerOperation)row[1])).ToList();

        Assert.Equal(expected.Count, covered.Count);
        Assert.True(expected.SetEquals(covered), "the table above must list every (state, operation) pair once");
    }

    [Fact]
    public void Decide_EveryPair_RefusalsAlwaysKeepCurrentStateAndGiveReason()
    {
        foreach (var state in Enum.GetValues<VmPowerState>())
        {
            foreach (var operation in Enum.GetValues<VmPowerOperation>())
            {
                var d = VmPowerTransitions.Decide(state, operation);
                if (d.Allowed)
                {
                    Assert.Null(d.Reason);
                }
                else
                {
                    Assert.Equal(state, d.Target);
                    Assert.False(d.NoOp);
                    Assert.False(string.IsNullOrWhiteSpace(d.Reason));
                }

                if (d.NoOp)
                {
                    Assert.Equal(state, d.Target);
                }
            }
        }
    }

    [Fact]
    public void Decide_UndefinedState_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VmPowerTransitions.Decide((VmPowerState)42, VmPowerOperation.PowerOn));
    }

    [Fact]
    public void Decide_UndefinedOperation_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VmPowerTransitions.Decide(VmPowerState.PoweredOn, (VmPowerOperation)42));
    }

    [Theory]
    [InlineData(VmPowerOperation.PowerOn, "power on")]
    [InlineData(VmPowerOperation.PowerOff, "power off")]
    [InlineData(VmPowerOperation.Shutdown, "shut down")]
    [InlineData(VmPowerOperation.Reset, "reset")]
    [InlineData(VmPowerOperation.Suspend, "suspend")]
    [InlineData(VmPowerOperation.Resume, "resume")]
    public void Describe_EachOperation_ReturnsPhrase(VmPowerOperation operation, string expected)
    {
        Assert.Equal(expected, VmPowerTransitions.Describe(operation));
    }

    [Fact]
    public void Describe_UndefinedOperation_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VmPowerTransitions.Describe((VmPowerOperation)42));
    }

    [Theory]
    [InlineData(VmPowerState.PoweredOff, true)]
    [InlineData(VmPowerState.PoweredOn, false)]
    [InlineData(VmPowerState.Suspended, false)]
    public void AllowsConfigurationChange_State_OnlyWhenPoweredOff(VmPowerState state, bool expected)
    {
        Assert.Equal(expected, VmPowerTransitions.AllowsConfigurationChange(state));
    }
}
