namespace Hyperion.Domain.Errors;

/// <summary>Raised by services when an operation is refused; mapped to problem details at the edge.</summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string message)
        : this(new DomainError(code, message))
    {
    }

    public DomainException(DomainError error)
        : this([error])
    {
    }

    public DomainException(IReadOnlyList<DomainError> errors)
        : base(errors.Count > 0 ? errors[0].Message : "operation refused")
    {
        Errors = errors;
    }

    public DomainException()
        : this(ErrorCodes.InvalidArgument, "operation refused")
    {
    }

    public DomainException(string message)
        : this(ErrorCodes.InvalidArgument, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new DomainError(ErrorCodes.InvalidArgument, message)];
    }

    public IReadOnlyList<DomainError> Errors { get; }

    public string Code => Errors.Count > 0 ? Errors[0].Code : ErrorCodes.InvalidArgument;
}
