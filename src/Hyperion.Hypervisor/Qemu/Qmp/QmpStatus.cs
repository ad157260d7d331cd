namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>The answer to <c>query-status</c>.</summary>
/// <param name="Running">True only when vCPUs are executing.</param>
/// <param name="Status">QEMU's RunState: "prelaunch", "running", "paused", "shutdown", "inmigrate", "postmigrate", ...</param>
public sealed record QmpStatus(bool Running, string Status);
