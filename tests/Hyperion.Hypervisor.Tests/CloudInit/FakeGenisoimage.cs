using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Tests.CloudInit;

/// <summary>
/// Plays genisoimage: records the spec and what the staging directory held while it ran, then writes
/// <see cref="Output"/> to the <c>-output</c> file and answers with <see cref="Result"/>.
/// </summary>
internal sealed class FakeGenisoimage : IProcessRunner
{
    public ProcessSpec? Spec { get; private set; }

    /// <summary>Staged file name → (text, Unix mode) as seen during the run.</summary>
    public Dictionary<string, (string Text, UnixFileMode Mode)> Staged { get; } = [];

    public UnixFileMode? OutputModeBeforeRun { get; private set; }

    public byte[] Output { get; init; } = "fake iso"u8.ToArray();

    public ProcessResult Result { get; init; } = new(0, string.Empty, string.Empty, TimeSpan.FromMilliseconds(3));

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Spec = spec;
        foreach (var file in Directory.EnumerateFiles(spec.WorkingDirectory!))
        {
            Staged[Path.GetFileName(file)] = (File.ReadAllText(file), File.GetUnixFileMode(file));
        }

        var output = spec.Arguments[spec.Arguments.ToList().IndexOf("-output") + 1];
        OutputModeBeforeRun = File.GetUnixFileMode(output);
        File.WriteAllBytes(output, Output);
        return Task.FromResult(Result);
    }
}
