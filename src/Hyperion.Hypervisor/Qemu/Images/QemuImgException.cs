namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>A qemu-img invocation failed, timed out, or printed output that could not be understood.</summary>
public sealed class QemuImgException : Exception
{
    public QemuImgException()
        : this("qemu-img failed.")
    {
    }

    public QemuImgException(string message)
        : base(message)
    {
        CommandLine = string.Empty;
        StandardError = string.Empty;
    }

    public QemuImgException(string message, Exception innerException)
        : base(message, innerException)
    {
        CommandLine = string.Empty;
        StandardError = string.Empty;
    }

    public QemuImgException(string message, string commandLine, int exitCode, string standardError, bool timedOut = false, Exception? innerException = null)
        : base(message, innerException)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardError = standardError;
        TimedOut = timedOut;
    }

    /// <summary>The argv that failed, joined with spaces for reading (it was never run through a shell).</summary>
    public string CommandLine { get; }

    public int ExitCode { get; }

    public string StandardError { get; }

    public bool TimedOut { get; }
}
