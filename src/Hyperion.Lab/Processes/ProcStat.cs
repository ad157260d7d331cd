using System.Globalization;

namespace Hyperion.Lab.Processes;

/// <summary>The fields of <c>/proc/PID/stat</c> the lab needs: state letter, parent and start time.</summary>
public readonly record struct ProcStat(char State, int ParentPid, ulong StartTime)
{
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Parses a stat line; the command name in parentheses may itself hold spaces and parentheses.</summary>
    public static ProcStat? Parse(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return null;
        }

        var close = line.LastIndexOf(')');
        if (close < 0 || close + 2 >= line.Length)
        {
            return null;
        }

        // After ") " come fields 3 (state), 4 (ppid), … 22 (starttime).
        var fields = line[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(fields[0][0], parent, start);
    }

    /// <summary>The stat of a live process, or null when it is gone.</summary>
    public static ProcStat? Read(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
