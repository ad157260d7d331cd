using Hyperion.Hypervisor.Processes;

namespace Hyperion.Lab.Tests.Networking;

/// <summary>A process runner that records each argv and answers from a table (exit 0, empty output by default).</summary>
public sealed class RecordingRunner : IProcessRunner
{
    public List<string> Commands { get; } = [];

    public Dictionary<string, ProcessResult> Answers { get; } = new(StringComparer.Ordinal);

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var line = string.Join(' ', [spec.FileName, .. spec.Arguments]);
        Commands.Add(line);
        return Task.FromResult(Answers.TryGetValue(line, out var answer) ? answer : new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero));
    }
}
