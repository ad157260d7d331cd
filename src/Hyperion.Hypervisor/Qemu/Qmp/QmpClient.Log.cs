using Microsoft.Extensions.Logging;

namespace Hyperion.Hypervisor.Qemu.Qmp;

public sealed partial class QmpClient
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "QMP connected to QEMU {QemuVersion} ({QemuPackage})")]
    private static partial void LogConnected(ILogger logger, string qemuVersion, string qemuPackage);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "QMP connection closed: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "QMP command {Command} (id {CommandId}) got no answer within {Timeout}")]
    private static partial void LogCommandTimedOut(ILogger logger, string command, long commandId, TimeSpan timeout);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "QMP sent a line that is not JSON; skipped")]
    private static partial void LogMalformedLine(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "QMP sent an unexpected message: {Kind}")]
    private static partial void LogUnexpectedMessage(ILogger logger, string kind);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "QMP answer without a known id: {Message}")]
    private static partial void LogUnmatchedResponse(ILogger logger, string message);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "QMP answer for id {CommandId} arrived after its caller gave up")]
    private static partial void LogLateResponse(ILogger logger, long commandId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "QMP write of {Command} failed")]
    private static partial void LogWriteFailed(ILogger logger, string command, Exception exception);
}
