namespace Hyperion.Hypervisor.CloudInit;

/// <summary>Writing a NoCloud seed image failed: the ISO tool failed, timed out or could not be run.</summary>
public sealed class NoCloudSeedException : Exception
{
    public NoCloudSeedException()
        : this("writing the cloud-init seed failed.")
    {
    }

    public NoCloudSeedException(string message)
        : base(message)
    {
        CommandLine = string.Empty;
        StandardError = string.Empty;
    }

    public NoCloudSeedException(string message, Exception innerException)
        : base(message, innerException)
    {
        CommandLine = string.Empty;
        StandardError = string.Empty;
    }

    public NoCloudSeedException(string message, string commandLine, int exitCode, string standardError, bool timedOut = false)
        : base(message)
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
