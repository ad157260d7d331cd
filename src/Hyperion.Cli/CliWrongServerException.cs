namespace Hyperion.Cli;

/// <summary>
/// The verb (or one of its options) needs the other kind of server: a Center-only verb against a host agent, or a
/// host-only verb against a Center (exit code 1, like any refusal).
/// </summary>
public sealed class CliWrongServerException : Exception
{
    public CliWrongServerException()
    {
    }

    public CliWrongServerException(string message)
        : base(message)
    {
    }

    public CliWrongServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
