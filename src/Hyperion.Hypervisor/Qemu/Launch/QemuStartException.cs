namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>QEMU refused to start; <see cref="Exception.Message"/> carries its own error line.</summary>
public sealed class QemuStartException : Exception
{
    public QemuStartException()
    {
    }

    public QemuStartException(string message)
        : base(message)
    {
    }

    public QemuStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
