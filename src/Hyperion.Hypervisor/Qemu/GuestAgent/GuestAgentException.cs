namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>A guest agent call failed: no connection, no answer in time, a malformed answer, or an error reply.</summary>
public sealed class GuestAgentException : Exception
{
    public GuestAgentException()
        : this(string.Empty)
    {
    }

    public GuestAgentException(string message)
        : base(message)
    {
        Class = string.Empty;
    }

    public GuestAgentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Class = string.Empty;
    }

    public GuestAgentException(string message, string errorClass)
        : base(message)
    {
        Class = errorClass;
    }

    /// <summary>The agent's error class (<c>CommandNotFound</c>, <c>GenericError</c>…) for an error reply; empty otherwise.</summary>
    public string Class { get; }

    /// <summary>True when the call got no answer within its timeout.</summary>
    public bool TimedOut => InnerException is TimeoutException;
}
