using Hyperion.Hypervisor.Processes;

namespace Hyperion.Lab.Processes;

/// <summary>Starts a long-lived process that outlives its starter: own session, stdin from /dev/null, stdout and stderr appended to a log.</summary>
public interface IDetachedProcessLauncher
{
    /// <returns>The new process's PID.</returns>
    /// <exception cref="LabException">The program could not be started.</exception>
    int Start(ProcessSpec spec, string logFile);
}
