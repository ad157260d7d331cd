namespace Hyperion.Lab.State;

/// <summary>The state of a lab being built: every change is saved to state.json at once (thread-safe).</summary>
public sealed class LabStateRecorder
{
    private readonly Lock _gate = new();
    private LabState _current;

    public LabStateRecorder(LabState initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
        LabStateStore.Save(initial);
    }

    public LabState Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public LabState Update(Func<LabState, LabState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var next = change(_current);
            LabStateStore.Save(next);
            _current = next;
            return next;
        }
    }
}
