using System.Text.Json;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;

namespace Hyperion.Center.Vms;

public static class CenterVmMapper
{
    public static CenterVmDto ToDto(VmRecord vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return new CenterVmDto(
            vm.Id.Value, vm.Name, vm.HostId?.Value, vm.HostLocalId?.Value, vm.FolderId.Value,
            JsonNamingPolicy.CamelCase.ConvertName(vm.PowerState.ToString()), vm.Cpus, vm.MemoryMiB)
        {
            DatastoreId = vm.DatastoreId?.Value,
            Template = vm.IsTemplate,
            RestartPriority = vm.RestartPriority,
        };
    }
}
