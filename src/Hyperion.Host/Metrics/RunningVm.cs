using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Host.Metrics;

/// <summary>A VM whose instance runs (powered on or suspended): what the metrics sampler reads.</summary>
internal sealed record RunningVm(string Id, IVmInstance Instance);
