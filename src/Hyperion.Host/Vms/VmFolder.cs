using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>
/// A VM is a self-describing folder on a datastore (like a .vmx folder): <c>vm.json</c> (its configuration),
/// its disks, <c>serial.log</c> and <c>qemu.log</c>. Copy the folder to another host and register it there.
/// </summary>
public static class VmFolder
{
    public const string ConfigFile = "vm.json";
    public const string SerialLogFile = "serial.log";
    public const string QemuLogFile = "qemu.log";

    public static VmSpec Load(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
        {
            throw new DomainException(ErrorCodes.VmFolderInvalid, $"{folder} is not a VM folder: it has no {ConfigFile}");
        }

        try
        {
            return JsonSerializer.Deserialize<VmSpec>(File.ReadAllText(path), JsonDefaults.Indented)
                ?? throw new DomainException(ErrorCodes.VmFolderInvalid, $"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new DomainException(ErrorCodes.VmFolderInvalid, $"{path} is not a valid VM configuration: {ex.Message}");
        }
    }

    /// <summary>Writes vm.json atomically: a crash leaves the old or the new file, never half of one.</summary>
    public static void Save(string folder, VmSpec spec)
    {
        var path = Path.Combine(folder, ConfigFile);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(spec, JsonDefaults.Indented));
        File.Move(temp, path, overwrite: true);
    }
}
