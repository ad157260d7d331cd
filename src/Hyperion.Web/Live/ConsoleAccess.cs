using Hyperion.Center.Security;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Live;

/// <summary>Whether a VM's consoles can open for the signed-in user, and why not when not.</summary>
/// <param name="Vm">The VM, when the user may see it.</param>
/// <param name="Blocked">Why the console cannot open (a sentence for the user); null when it can.</param>
public sealed record ConsoleAvailability(CenterVmDto? Vm, string? Blocked)
{
    public const string PoweredOn = "poweredOn";

    /// <summary>
    /// Checks what the REST console endpoints check (the VM exists and is visible, the user holds
    /// <see cref="Privileges.VmConsole"/> on it) and, for the screen, that the VM runs.
    /// </summary>
    public static async Task<ConsoleAvailability> CheckAsync(CenterSession session, string vmId, bool requirePoweredOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        CenterVmDto vm;
        try
        {
            vm = await session.CallAsync<CenterVmService, CenterVmDto>((s, u, ct) => s.GetAsync(u, vmId, ct), cancellationToken);
        }
        catch (DomainException ex)
        {
            return new ConsoleAvailability(null, CenterSession.Describe(ex));
        }

        var privileges = await session.PrivilegesAsync(InventoryId.Parse(vm.Id), cancellationToken);
        if (!privileges.Contains(Privileges.VmConsole))
        {
            return new ConsoleAvailability(vm, $"You need the {Privileges.VmConsole} privilege on {vm.Name} to use its console.");
        }

        if (requirePoweredOn && vm.PowerState != PoweredOn)
        {
            return new ConsoleAvailability(vm, vm.PowerState == "suspended"
                ? $"{vm.Name} is suspended: resume it to use its console."
                : $"{vm.Name} is powered off: power it on to use its console.");
        }

        return new ConsoleAvailability(vm, null);
    }

    /// <summary>
    /// A single-use ticket for the VM's VNC websocket, exactly as <c>POST /api/vms/{id}/console/ticket</c> issues it;
    /// returns the path the browser connects to.
    /// </summary>
    public static Task<string> TicketPathAsync(CenterSession session, string vmId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.RunAsync(async (services, user, ct) =>
        {
            var vm = await services.GetRequiredService<CenterVmService>().ConsoleVmAsync(user, vmId, ct);
            var (ticket, _) = services.GetRequiredService<ConsoleTickets>().Issue(user, vm);
            return $"/api/vms/{Uri.EscapeDataString(vm.Value)}/console/vnc?ticket={Uri.EscapeDataString(ticket)}";
        }, cancellationToken);
    }
}
