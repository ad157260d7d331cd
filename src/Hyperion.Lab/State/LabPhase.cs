namespace Hyperion.Lab.State;

/// <summary>Where a lab is in its life, as recorded in state.json.</summary>
public enum LabPhase
{
    /// <summary><c>lab up</c> is building it (or died while doing so: <c>lab down</c> removes what was recorded).</summary>
    Starting,

    /// <summary><c>lab up</c> finished: Center and hosts run, the hosts are in the Center, the demo VM runs.</summary>
    Running,
}
