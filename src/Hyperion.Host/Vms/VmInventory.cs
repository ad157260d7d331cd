using System.Text.Json;
using Hyperion.Contracts;

namespace Hyperion.Host.Vms;

/// <summary>The registered VMs of this host, persisted atomically in <c>inventory.json</c>.</summary>
public sealed class VmInventory
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private State _state;

    public VmInventory(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, "inventory.json");
        _state = File.Exists(_path)
            ? JsonSerializer.Deserialize<State>(File.ReadAllText(_path), JsonDefaults.Options) ?? new State(1, [])
            : new State(1, []);
    }

    public IReadOnlyList<VmRegistration> All
    {
        get
        {
            lock (_gate)
            {
                return _state.Vms;
            }
        }
    }

    /// <summary>Allocates the next <c>vm-N</c> id and records the VM.</summary>
    public VmRegistration Add(string datastore, string folder)
    {
        lock (_gate)
        {
            var registration = new VmRegistration(Domain.Vms.VmId.FromNumber(_state.NextId).Value, datastore, folder);
            Save(new State(_state.NextId + 1, [.. _state.Vms, registration]));
            return registration;
        }
    }

    /// <summary>Allocates the next <c>vm-N</c> id without recording a VM (an incoming migration's, recorded by <see cref="AddReserved"/> once it lands).</summary>
    public string Reserve()
    {
        lock (_gate)
        {
            var id = Domain.Vms.VmId.FromNumber(_state.NextId).Value;
            Save(_state with { NextId = _state.NextId + 1 });
            return id;
        }
    }

    public VmRegistration AddReserved(string id, string datastore, string folder)
    {
        lock (_gate)
        {
            var registration = new VmRegistration(id, datastore, folder);
            Save(_state with { Vms = [.. _state.Vms, registration] });
            return registration;
        }
    }

    /// <summary>Records that the VM's folder is now <paramref name="folder"/> on <paramref name="datastore"/> (a storage migration).</summary>
    public VmRegistration Move(string id, string datastore, string folder)
    {
        lock (_gate)
        {
            var registration = new VmRegistration(id, datastore, folder);
            Save(_state with { Vms = _state.Vms.Select(v => v.Id == id ? registration : v).ToList() });
            return registration;
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            Save(_state with { Vms = _state.Vms.Where(v => v.Id != id).ToList() });
        }
    }

    private void Save(State state)
    {
        var temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state, JsonDefaults.Indented));
        File.Move(temp, _path, overwrite: true);
        _state = state;
    }

    private sealed record State(long NextId, IReadOnlyList<VmRegistration> Vms);
}
