namespace Hyperion.Hypervisor.Processes;

/// <summary>Looks at and signals processes this host did not necessarily start (re-adopted QEMUs).</summary>
public interface IProcessTable
{
    bool IsAlive(int pid);

    /// <summary>The process's argv, or null if it is gone.</summary>
    IReadOnlyList<string>? ReadCommandLine(int pid);

    /// <summary>Sends SIGKILL; false if the process was already gone.</summary>
    bool Kill(int pid);
}
