namespace Hyperion.Contracts.Vms;

/// <summary>The values of <see cref="VmGuestAgentDto.State"/>.</summary>
public static class VmGuestAgentStates
{
    /// <summary>The agent answered the last ping.</summary>
    public const string Running = "running";

    /// <summary>The agent has not answered since power-on (not installed or not started yet), or stopped answering.</summary>
    public const string NotRunning = "notRunning";
}
