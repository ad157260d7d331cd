namespace Hyperion.Testing;

/// <summary>Process liveness as the agent sees it: a zombie waiting for its (re)parent to reap it counts as gone.</summary>
public static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
