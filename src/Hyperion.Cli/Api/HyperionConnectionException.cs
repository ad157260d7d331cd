namespace Hyperion.Cli.Api;

/// <summary>The server could not be reached or was not trusted (exit code 3).</summary>
public sealed class HyperionConnectionException : Exception
{
    public HyperionConnectionException()
    {
    }

    public HyperionConnectionException(string message)
        : base(message)
    {
    }

    public HyperionConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
