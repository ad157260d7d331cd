namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>QEMU answered a command with <c>{"error":{"class":...,"desc":...}}</c>.</summary>
public sealed class QmpCommandException : Exception
{
    public QmpCommandException()
        : this(string.Empty, string.Empty, string.Empty)
    {
    }

    public QmpCommandException(string message)
        : base(message)
    {
        Command = string.Empty;
        Class = string.Empty;
        Description = message;
    }

    public QmpCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = string.Empty;
        Class = string.Empty;
        Description = message;
    }

    public QmpCommandException(string command, string errorClass, string description)
        : base($"QMP command '{command}' failed: {errorClass}: {description}")
    {
        Command = command;
        Class = errorClass;
        Description = description;
    }

    /// <summary>The command that failed, e.g. "device_add".</summary>
    public string Command { get; }

    /// <summary>QEMU's error class: "GenericError", "CommandNotFound", "DeviceNotFound", "DeviceNotActive", "KVMMissingCap".</summary>
    public string Class { get; }

    /// <summary>QEMU's human-readable description (not stable across versions; match on <see cref="Class"/>).</summary>
    public string Description { get; }
}
