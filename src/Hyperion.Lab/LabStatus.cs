using Hyperion.Lab.Api;
using Hyperion.Lab.Etcd;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;
using Hyperion.Lab.Status;

namespace Hyperion.Lab;

/// <summary><c>hyperion lab status</c>: the recorded processes (alive?) and, from the Center's API, the hosts' connection states and the VMs.</summary>
public sealed class LabStatus(LabMachine machine)
{
    /// <summary>The lab's status, or null when <paramref name="directory"/> holds no lab.</summary>
    public async Task<LabStatusReport?> GetAsync(string directory, CancellationToken cancellationToken)
    {
        var state = LabStateStore.Load(directory);
        if (state is null)
        {
            return null;
        }

        bool Alive(string role) =>
            state.Processes.FirstOrDefault(p => p.Role == role) is { } p && new ProcessTarget(p.Pid, p.StartTime, role).IsAlive;
        int Pid(string role) => state.Processes.FirstOrDefault(p => p.Role == role)?.Pid ?? 0;

        var center = state.Center;
        var centerStatus = new LabProcessStatus("center", center?.Url ?? "-", Pid("center"), Alive("center"), null, null);
        var hosts = state.Hosts.OrderBy(h => h.Index).Select(h => new LabProcessStatus(h.Name, h.Url, Pid(h.Name), Alive(h.Name), h.CenterHostId, null) { Faults = h.Faults }).ToList();
        var members = await Task.WhenAll((state.Etcd?.Members ?? []).Select(async m =>
        {
            var alive = Alive(m.Role);
            return new LabEtcdMemberStatus(m.Name, m.ClientUrl, Pid(m.Role), alive, alive ? await EtcdHealthClient.IsHealthyAsync(m.ClientUrl, cancellationToken) : null);
        }));
        var vms = new List<LabVmStatus>();
        string? centerError = null;
        if (center?.Fingerprint is null)
        {
            centerError = "the Center never started";
        }
        else if (!centerStatus.Alive)
        {
            centerError = "its process is gone";
        }
        else
        {
            try
            {
                using var api = new LabApiClient(new Uri(center.Url), center.Fingerprint, center.AdminUser, center.AdminPassword, TimeSpan.FromSeconds(10));
                var client = new LabCenterClient(api, machine.Time);
                var inCenter = (await client.ListHostsAsync(cancellationToken)).ToDictionary(h => h.Id, StringComparer.Ordinal);
                hosts = hosts.Select(h => h with
                {
                    ConnectionState = h.CenterId is not null && inCenter.TryGetValue(h.CenterId, out var dto) ? dto.ConnectionState : "not in the Center",
                }).ToList();
                var names = state.Hosts.Where(h => h.CenterHostId is not null).ToDictionary(h => h.CenterHostId!, h => h.Name, StringComparer.Ordinal);
                vms.AddRange((await client.ListVmsAsync(cancellationToken))
                    .OrderBy(v => v.Name, StringComparer.Ordinal)
                    .Select(v => new LabVmStatus(v.Name, v.Id, v.HostId is not null && names.TryGetValue(v.HostId, out var n) ? n : v.HostId, v.PowerState)));
            }
            catch (LabException ex)
            {
                centerError = ex.Message;
            }
        }

        return new LabStatusReport(state.Name, state.Directory, state.Subnet, state.Phase, centerStatus, hosts, vms, centerError) { EtcdMembers = members };
    }
}
