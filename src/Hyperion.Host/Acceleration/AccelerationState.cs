using Hyperion.Domain.Errors;
using Hyperion.Hypervisor.Qemu.Acceleration;

namespace Hyperion.Host.Acceleration;

/// <summary>
/// The accelerator chosen at agent start (every VM started by this agent uses it), the named CPU models QEMU can run
/// here with it, and the CPU baseline the Center set for this host's cluster (EVC-like: VMs powered on here get that
/// model instead of <c>host</c>/<c>max</c>, so they can move to any host of the cluster). The baseline is kept in the
/// data directory across agent restarts.
/// </summary>
internal sealed class AccelerationState
{
    private const string BaselineFile = "cpu-baseline";
    private readonly string? _dataDirectory;
    private readonly Lock _gate = new();
    private string? _baseline;

    public AccelerationState(AccelerationDecision decision, IReadOnlyList<string>? usableCpuModels = null, string? dataDirectory = null)
    {
        Decision = decision;
        UsableCpuModels = usableCpuModels ?? [];
        _dataDirectory = dataDirectory;
        var file = dataDirectory is null ? null : Path.Combine(dataDirectory, BaselineFile);
        if (file is not null && File.Exists(file))
        {
            var stored = File.ReadAllText(file).Trim();
            _baseline = stored.Length > 0 ? stored : null;
        }
    }

    public AccelerationDecision Decision { get; }

    /// <summary>Named, migration-safe CPU models QEMU runs here (query-cpu-definitions with no unavailable features).</summary>
    public IReadOnlyList<string> UsableCpuModels { get; }

    /// <summary>The cluster's CPU baseline on this host, or null (VMs get <see cref="AccelerationDecision.CpuModel"/>).</summary>
    public string? CpuBaseline
    {
        get
        {
            lock (_gate)
            {
                return _baseline;
            }
        }
    }

    /// <summary>The CPU model a VM powered on here now gets.</summary>
    public string VmCpuModel => CpuBaseline ?? Decision.CpuModel;

    /// <summary>Whether a guest with CPU model <paramref name="model"/> can run here (a migration arriving with it).</summary>
    public bool CanRun(string model) => model == Decision.CpuModel || UsableCpuModels.Contains(model, StringComparer.Ordinal);

    /// <summary>Sets (or clears, with null) the baseline; refused when QEMU cannot run the model here. Running VMs keep their model until their next power-on.</summary>
    public void SetBaseline(string? model)
    {
        model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
        if (model is not null && !UsableCpuModels.Contains(model, StringComparer.Ordinal))
        {
            throw new DomainException(new DomainError(
                ErrorCodes.HostCpuUnsupported,
                $"CPU model '{model}' cannot run on this host with {Decision.Mode} (QEMU reports features missing, or it is not a migration-safe named model); usable here: {string.Join(", ", UsableCpuModels.Take(40))}",
                "model"));
        }

        lock (_gate)
        {
            if (_dataDirectory is not null)
            {
                var file = Path.Combine(_dataDirectory, BaselineFile);
                if (model is null)
                {
                    File.Delete(file);
                }
                else
                {
                    File.WriteAllText(file + ".tmp", model);
                    File.Move(file + ".tmp", file, overwrite: true);
                }
            }

            _baseline = model;
        }
    }
}
