using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Launch;

/// <summary>
/// Compares an argv with a committed golden file (one argument per line) under Qemu/Launch/Golden.
/// With <c>HYPERION_UPDATE_GOLDEN=1</c> it rewrites the file in the source tree instead of comparing.
/// </summary>
internal static class GoldenFile
{
    private const string Folder = "Qemu/Launch/Golden";

    public static bool Updating => Environment.GetEnvironmentVariable("HYPERION_UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string name, IReadOnlyList<string> argv)
    {
        foreach (var arg in argv)
        {
            Assert.False(arg.Contains('\n', StringComparison.Ordinal), $"argument {arg} contains a newline and cannot be stored one per line");
        }

        var actual = string.Join('\n', argv) + "\n";
        var fileName = name + ".argv";
        if (Updating)
        {
            var source = Path.Combine(RepositoryPaths.Root, "tests", "Hyperion.Hypervisor.Tests", Folder, fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, Folder, fileName);
        Assert.True(File.Exists(copied), $"golden file {fileName} is missing: run the tests once with HYPERION_UPDATE_GOLDEN=1 and review the new file");
        var expected = File.ReadAllText(copied).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            // Line-by-line comparison gives a readable first difference; the full argv follows for context.
            Assert.Fail(
                $"argv differs from {Folder}/{fileName} (rerun with HYPERION_UPDATE_GOLDEN=1 if the change is intended)\n" +
                $"{FirstDifference(expected.Split('\n'), actual.Split('\n'))}\nactual argv:\n{actual}");
        }
    }

    private static string FirstDifference(string[] expected, string[] actual)
    {
        for (var i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            var e = i < expected.Length ? expected[i] : "<end>";
            var a = i < actual.Length ? actual[i] : "<end>";
            if (e != a)
            {
                return $"line {i + 1}: expected '{e}', actual '{a}'";
            }
        }

        return "no difference";
    }
}
