namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>The QMP connection closed (QEMU exited, the socket broke, or the client was disposed) before a command was answered.</summary>
public sealed class QmpDisconnectedException : IOException
{
    public QmpDisconnectedException()
        : base("The QMP connection is closed.")
    {
    }

    public QmpDisconnectedException(string message)
        : base(message)
    {
    }

    public QmpDisconnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
