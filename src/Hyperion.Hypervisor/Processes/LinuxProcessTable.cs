using System.Runtime.InteropServices;

namespace Hyperion.Hypervisor.Processes;

/// <summary><see cref="IProcessTable"/> over /proc and kill(2).</summary>
public sealed partial class LinuxProcessTable : IProcessTable
{
    private const int SigKill = 9;

    public bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        // A zombie still has a /proc entry; it is not alive for our purposes.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public IReadOnlyList<string>? ReadCommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Length == 0 ? null : raw.TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return null;
        }
    }

    public bool Kill(int pid) => pid > 0 && NativeKill(pid, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
