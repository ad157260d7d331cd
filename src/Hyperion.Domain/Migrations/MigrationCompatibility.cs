namespace Hyperion.Domain.Migrations;

/// <summary>
/// Whether a running VM can move between two hosts without its guest noticing a different machine — the vSphere CPU
/// compatibility check. A named CPU model (a cluster baseline, EVC-like) is the same virtual CPU everywhere; the
/// <c>host</c> model passes the physical CPU through, so it moves only to a host with the same CPU (or a superset of
/// its features). A migration stream goes to the same or a newer QEMU only, and never between accelerators.
/// </summary>
public static class MigrationCompatibility
{
    /// <summary>Null when compatible, else the reason, for the user.</summary>
    public static string? Check(MigrationHostFacts source, MigrationHostFacts destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (!string.Equals(source.Accelerator, destination.Accelerator, StringComparison.Ordinal))
        {
            return $"{source.Name} runs VMs with {source.Accelerator} and {destination.Name} with {destination.Accelerator}: a running VM cannot change accelerator";
        }

        // The destination starts the guest with the CPU model it has: its own default, or a named model it can run.
        var named = source.VmCpuModel is not ("host" or "max");
        if (!string.Equals(source.VmCpuModel, destination.VmCpuModel, StringComparison.Ordinal)
            && !(named && destination.UsableCpuModels?.Contains(source.VmCpuModel, StringComparer.Ordinal) == true))
        {
            return named
                ? $"the VM has CPU model '{source.VmCpuModel}' on {source.Name}, which {destination.Name} cannot run: give the cluster a CPU baseline every host runs"
                : $"the VM has CPU model '{source.VmCpuModel}' on {source.Name} but {destination.Name} gives its VMs '{destination.VmCpuModel}': give the cluster a CPU baseline so every host offers the same virtual CPU, and power-cycle the VM";
        }

        if (Compare(destination.QemuVersion, source.QemuVersion) < 0)
        {
            return $"{destination.Name} has QEMU {destination.QemuVersion}, older than {source.Name}'s {source.QemuVersion}: a migration only goes to the same or a newer QEMU";
        }

        if (source.VmCpuModel == "host")
        {
            if (!string.Equals(source.CpuModelName, destination.CpuModelName, StringComparison.Ordinal))
            {
                var missing = source.CpuFlags.Except(destination.CpuFlags, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (missing.Count > 0)
                {
                    return $"the VM sees {source.Name}'s physical CPU ({source.CpuModelName}); {destination.Name}'s ({destination.CpuModelName}) lacks {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? $" and {missing.Count - 8} more" : string.Empty)}: give the cluster a CPU baseline";
                }
            }
        }

        return null;
    }

    /// <summary>Compares dotted version numbers numerically (<c>7.10.0</c> is newer than <c>7.2.0</c>).</summary>
    public static int Compare(string a, string b)
    {
        var x = Parts(a);
        var y = Parts(b);
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static int[] Parts(string version) =>
        (version ?? string.Empty).Split('.', '-', ' ').Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
}
