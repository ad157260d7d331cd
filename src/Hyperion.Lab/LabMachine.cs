using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Networking;
using Hyperion.Lab.Processes;

namespace Hyperion.Lab;

/// <summary>What the lab uses of this machine: short commands (<c>ip</c>), detached servers and the clock.</summary>
public sealed class LabMachine(IProcessRunner runner, IDetachedProcessLauncher launcher, TimeProvider time)
{
    public IProcessRunner Runner => runner;

    public IDetachedProcessLauncher Launcher => launcher;

    public TimeProvider Time => time;

    public LabNetwork Network { get; } = new(runner, time);

    public LabProcessControl Processes { get; } = new(time);

    /// <summary>The real machine: <see cref="SystemProcessRunner"/>, <see cref="PosixSpawnLauncher"/>, the system clock.</summary>
    public static LabMachine Local() => new(new SystemProcessRunner(), new PosixSpawnLauncher(), TimeProvider.System);
}
