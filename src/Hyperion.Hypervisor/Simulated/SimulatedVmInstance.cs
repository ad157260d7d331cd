using System.Threading.Channels;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Hypervisor.Simulated;

/// <summary>A SIMULATED running VM: state changes happen at once, the power button always works.</summary>
public sealed class SimulatedVmInstance(int pid, Action onExit) : IVmInstance
{
    private readonly Channel<VmRuntimeEvent> _events = Channel.CreateUnbounded<VmRuntimeEvent>();
    private readonly TaskCompletionSource<string?> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;

    public string Accelerator => "simulated";

    public bool HasMonitor => true;

    public bool IsPaused { get; private set; }

    public ChannelReader<VmRuntimeEvent> Events => _events.Reader;

    public Task<string?> Exited => _exited.Task;

    public Task PauseAsync(CancellationToken cancellationToken)
    {
        IsPaused = true;
        _events.Writer.TryWrite(VmRuntimeEvent.Paused);
        return Task.CompletedTask;
    }

    public Task ContinueAsync(CancellationToken cancellationToken)
    {
        IsPaused = false;
        _events.Writer.TryWrite(VmRuntimeEvent.Resumed);
        return Task.CompletedTask;
    }

    public Task ResetAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PressPowerButtonAsync(CancellationToken cancellationToken)
    {
        Exit("guest-shutdown");
        return Task.CompletedTask;
    }

    public Task QuitAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Exit("host-qmp-quit");
        return Task.CompletedTask;
    }

    public void Kill() => Exit(null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Exit(string? reason)
    {
        if (_exited.TrySetResult(reason))
        {
            onExit();
            _events.Writer.TryComplete();
        }
    }
}
