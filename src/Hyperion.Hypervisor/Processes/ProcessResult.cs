namespace Hyperion.Hypervisor.Processes;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed, bool TimedOut = false)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
