namespace Hyperion.Hypervisor.Tests.Qemu.Qmp;

/// <summary>
/// QMP conversations recorded from QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3) started with
/// <c>qemu-system-x86_64 -machine q35 -accel tcg -m 64 -nodefaults -display none -qmp unix:...,server=on,wait=off -S</c>.
/// "S: " lines are what QEMU sent (it terminates each with CRLF), "C: " lines what the recorder sent,
/// "# EOF" where QEMU closed the socket. Ids in "C: " lines are the recorder's; replays map them to the client's.
/// </summary>
internal static class QmpTranscripts
{
    /// <summary>The whole session: handshake, queries, stop/cont, two errors, powerdown, reset, quit.</summary>
    public const string FullSession = """
        S: {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}
        C: {"execute": "qmp_capabilities", "id": 1}
        S: {"return": {}, "id": 1}
        C: {"execute": "query-status", "id": 2}
        S: {"return": {"status": "prelaunch", "singlestep": false, "running": false}, "id": 2}
        C: {"execute": "query-version", "id": 3}
        S: {"return": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "id": 3}
        C: {"execute": "cont", "id": 4}
        S: {"timestamp": {"seconds": 1795432936, "microseconds": 253128}, "event": "RESUME"}
        S: {"return": {}, "id": 4}
        C: {"execute": "query-status", "id": 5}
        S: {"return": {"status": "running", "singlestep": false, "running": true}, "id": 5}
        C: {"execute": "stop", "id": 6}
        S: {"timestamp": {"seconds": 1795432936, "microseconds": 556203}, "event": "STOP"}
        S: {"return": {}, "id": 6}
        C: {"execute": "query-status", "id": 7}
        S: {"return": {"status": "paused", "singlestep": false, "running": false}, "id": 7}
        C: {"execute": "no-such-command", "id": 8}
        S: {"id": 8, "error": {"class": "CommandNotFound", "desc": "The command no-such-command has not been found"}}
        C: {"execute": "query-status", "arguments": {"bogus": 1}, "id": 81}
        S: {"id": 81, "error": {"class": "GenericError", "desc": "Parameter 'bogus' is unexpected"}}
        C: {"execute": "cont", "id": 9}
        S: {"timestamp": {"seconds": 1795432936, "microseconds": 857983}, "event": "RESUME"}
        S: {"return": {}, "id": 9}
        C: {"execute": "system_powerdown", "id": 10}
        S: {"timestamp": {"seconds": 1795432937, "microseconds": 158608}, "event": "POWERDOWN"}
        S: {"return": {}, "id": 10}
        C: {"execute": "system_reset", "id": 11}
        S: {"timestamp": {"seconds": 1795432938, "microseconds": 160724}, "event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}}
        S: {"return": {}, "id": 11}
        S: {"timestamp": {"seconds": 1795432938, "microseconds": 215741}, "event": "RESET", "data": {"guest": true, "reason": "guest-reset"}}
        S: {"timestamp": {"seconds": 1795432938, "microseconds": 216566}, "event": "RESET", "data": {"guest": true, "reason": "guest-reset"}}
        C: {"execute": "quit", "id": 12}
        S: {"timestamp": {"seconds": 1795432939, "microseconds": 217350}, "event": "SHUTDOWN", "data": {"guest": false, "reason": "host-qmp-quit"}}
        S: {"return": {}, "id": 12}
        # EOF
        """;

    public const string Greeting =
        """{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}""";

    /// <summary>Recorded after <c>system_reset</c> on a -S machine: one host reset then the firmware's own resets.</summary>
    public const string ResetEvents = """
        S: {"timestamp": {"seconds": 1795432938, "microseconds": 160724}, "event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}}
        S: {"return": {}, "id": 11}
        S: {"timestamp": {"seconds": 1795432938, "microseconds": 215741}, "event": "RESET", "data": {"guest": true, "reason": "guest-reset"}}
        """;
}
