using System.Diagnostics;

namespace Hyperion.Testing;

/// <summary>The <c>ip</c> (and other) commands the test networks are built with.</summary>
internal static class NetCommands
{
    /// <summary>Runs <c>ip ARGS</c>; throws with its error output when it fails.</summary>
    public static void Ip(params string[] args)
    {
        var (code, error) = Run(["ip", .. args]);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error}");
        }
    }

    /// <summary>Runs a command to its end; its exit code and error output (best effort: a cleanup ignores failures).</summary>
    public static (int ExitCode, string Error) Run(params string[] argv)
    {
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, error.Trim());
    }
}
