namespace Hyperion.Lab;

/// <summary>A lab step failed; <see cref="Exception.Message"/> is what the user reads after <c>error: </c>.</summary>
public sealed class LabException : Exception
{
    public LabException()
    {
    }

    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
