using System.Diagnostics;

namespace Hyperion.Testing;

/// <summary>One run of the real <c>hyperion</c> executable as a command (<c>dotnet hyperion.dll ARGS</c>) to its end.</summary>
public static class HyperionCommand
{
    /// <summary>Runs <c>hyperion <paramref name="args"/></c> with extra environment <paramref name="env"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<HyperionCommandRun> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(HyperionProcess.HyperionDll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
            throw new TimeoutException($"hyperion {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:F0} s\n{await stdout}\n{await stderr}");
        }

        return new HyperionCommandRun(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What a <c>hyperion</c> command printed and how it ended.</summary>
public sealed record HyperionCommandRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
