using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Tests.Qemu.Launch;

/// <summary>Stands in for a daemonizing QEMU parent: answers with a set result and, on success, writes the pid file named by <c>-pidfile</c>.</summary>
internal sealed class FakeQemuRunner : IProcessRunner
{
    public ProcessResult Result { get; set; } = new(0, string.Empty, string.Empty, TimeSpan.FromMilliseconds(5));

    public int Pid { get; set; } = 4242;

    public List<ProcessSpec> Calls { get; } = [];

    /// <summary>Which of the watched files existed at the moment QEMU was run.</summary>
    public List<string> ExistingAtRun { get; } = [];

    public IReadOnlyList<string> WatchedFiles { get; set; } = [];

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add(spec);
        ExistingAtRun.AddRange(WatchedFiles.Where(File.Exists));
        if (Result.Succeeded)
        {
            var index = spec.Arguments.ToList().IndexOf("-pidfile");
            File.WriteAllText(spec.Arguments[index + 1], $"{Pid}\n");
        }

        return Task.FromResult(Result);
    }
}
