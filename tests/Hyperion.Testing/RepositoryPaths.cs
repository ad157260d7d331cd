namespace Hyperion.Testing;

/// <summary>Finds the repository from a test's output directory.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hyperion.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Hyperion.slnx above {AppContext.BaseDirectory}");
    }
}
