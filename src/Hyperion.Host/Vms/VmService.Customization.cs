using Hyperion.Contracts.Vms;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.CloudInit;
using Hyperion.Domain.Errors;

namespace Hyperion.Host.Vms;

/// <summary>
/// Guest customization: a cloud-init NoCloud seed (volume <c>cidata</c>: meta-data, user-data, network-config) made
/// for the new VM and attached read-only as its last disk, where cloud-init (or the tiny guest) finds it at first boot.
/// </summary>
internal sealed partial class VmService
{
    /// <summary>The seed's file name in the VM folder.</summary>
    internal const string SeedFile = "cidata.iso";

    /// <summary>Validated before anything is created: a bad field is a 400 naming it.</summary>
    private static GuestCustomization PlanCustomization(GuestCustomizationDto request)
    {
        var network = request.Network is { } n
            ? new GuestNetwork { Address = n.Address, Gateway = n.Gateway, DnsServers = n.DnsServers ?? [], MacAddress = n.MacAddress }
            : GuestNetwork.Dhcp;
        return new GuestCustomization
        {
            Hostname = request.Hostname,
            User = request.User,
            Password = request.Password,
            SshAuthorizedKeys = request.SshAuthorizedKeys ?? [],
            Network = network,
        }.ThrowIfInvalid();
    }

    /// <summary>Writes the seed into the new VM's folder; the instance id is the VM's UUID, so cloud-init runs once per VM.</summary>
    private async Task<string> WriteSeedAsync(GuestCustomization customization, VmSpec spec, string folder, CancellationToken cancellationToken)
    {
        try
        {
            await _seeds.WriteAsync(customization, spec.Uuid.ToString("D"), Path.Combine(folder, SeedFile), cancellationToken);
        }
        catch (NoCloudSeedException ex)
        {
            throw new DomainException(ErrorCodes.HypervisorError, $"VM '{spec.Name}': the guest customization seed could not be made: {ex.Message}");
        }

        return SeedFile;
    }
}
