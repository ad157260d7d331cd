using System.Diagnostics;

namespace Hyperion.Testing;

/// <summary>Runs a host tool a test checks with (qemu-img, genisoimage, mount …) by argv and returns its stdout; a
/// non-zero exit throws with the command line and everything it printed.</summary>
public static class ExternalTool
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }

    public static Task<string> QemuImgAsync(params string[] args) => RunAsync("qemu-img", args);
}
