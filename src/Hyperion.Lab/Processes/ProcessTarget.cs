namespace Hyperion.Lab.Processes;

/// <summary>A process to stop, identified by PID and start time so a recycled PID is never signalled.</summary>
public readonly record struct ProcessTarget(int Pid, ulong StartTime, string Description)
{
    /// <summary>Alive (not a zombie) and still the same process.</summary>
    public bool IsAlive => ProcStat.Read(Pid) is { IsZombie: false } stat && stat.StartTime == StartTime;
}
