namespace Hyperion.Domain.Datastores;

/// <summary>Keeps every file a VM names inside its datastore.</summary>
public static class DatastorePaths
{
    /// <summary>Resolves <paramref name="relative"/> under <paramref name="root"/>; false if it is absolute or climbs out.</summary>
    public static bool TryResolveInside(string root, string relative, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(relative) || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var candidate = Path.GetFullPath(Path.Combine(rootFull, relative));
        var prefix = rootFull.EndsWith(Path.DirectorySeparatorChar) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        if (!candidate.StartsWith(prefix, StringComparison.Ordinal) || candidate.Length == prefix.Length)
        {
            return false;
        }

        fullPath = candidate;
        return true;
    }
}
