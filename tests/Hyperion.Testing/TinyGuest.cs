using System.Diagnostics;

namespace Hyperion.Testing;

/// <summary>The tiny guest built by tools/tiny-guest/build.sh (cached; built once per test run when missing).</summary>
public static class TinyGuest
{
    private static readonly Lazy<string> Directory_ = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding vmlinux, initramfs.cpio.gz and manifest.json.</summary>
    public static string Directory => Directory_.Value;

    public static string Kernel => Path.Combine(Directory, "vmlinux");

    public static string Initrd => Path.Combine(Directory, "initramfs.cpio.gz");

    private static string Build()
    {
        var script = Path.Combine(RepositoryPaths.Root, "tools", "tiny-guest", "build.sh");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tiny guest build failed: {stderr.GetAwaiter().GetResult()}");
        }

        return stdout.Trim().Split('\n')[^1].Trim();
    }
}
