namespace Hyperion.Hypervisor.Processes;

/// <summary>Runs short-lived programs (qemu-img, qemu --version, a daemonizing QEMU parent); injectable so failures are testable.</summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
