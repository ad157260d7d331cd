using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Tests.Qemu.Images;

/// <summary>Records every spec it is asked to run and answers with queued results (success with no output when none are queued).</summary>
internal sealed class RecordingProcessRunner : IProcessRunner
{
    private readonly Queue<ProcessResult> _results = new();

    public List<ProcessSpec> Calls { get; } = [];

    public RecordingProcessRunner Returns(int exitCode, string standardOutput = "", string standardError = "", bool timedOut = false)
    {
        _results.Enqueue(new ProcessResult(exitCode, standardOutput, standardError, TimeSpan.FromMilliseconds(5), timedOut));
        return this;
    }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add(spec);
        return Task.FromResult(_results.TryDequeue(out var result) ? result : new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero));
    }
}
