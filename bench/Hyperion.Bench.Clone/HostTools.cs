using System.Diagnostics;
using System.Globalization;

namespace Hyperion.Bench.Clone;

/// <summary>
/// The command-line tools the benchmark runs itself: qemu-io (data into the disks), qemu-img (the baseline copy, and
/// the check that a clone holds what its source holds), du (allocated space) and sync. Each is a child of this process,
/// killed by PID when the run is cancelled.
/// </summary>
internal static class HostTools
{
    private const long MiB = 1024L * 1024;

    /// <summary>qemu-io writes at most this much per command (it allocates a buffer of the request's size).</summary>
    private const int ChunkMiB = 64;

    /// <summary>Writes byte 0x5a over [offset, offset + length) of a qcow2 image that no QEMU has open.</summary>
    public static Task WriteDataAsync(string image, IReadOnlyList<(long OffsetMiB, long LengthMiB)> extents, CancellationToken cancellationToken)
    {
        var args = new List<string> { "-f", "qcow2" };
        foreach (var (offset, length) in extents)
        {
            for (var at = offset; at < offset + length; at += ChunkMiB)
            {
                var size = Math.Min(ChunkMiB, offset + length - at);
                args.AddRange(["-c", string.Create(CultureInfo.InvariantCulture, $"write -q -P 0x5a {at}M {size}M")]);
            }
        }

        args.Add(image);
        return RunAsync("qemu-io", args, cancellationToken);
    }

    /// <summary>The baseline copy: what the agent runs for a powered-off full clone, by hand. <paramref name="shared"/>: -U
    /// (the source is open in a running QEMU).</summary>
    public static Task ConvertAsync(string source, string destination, bool shared, CancellationToken cancellationToken) =>
        RunAsync("qemu-img", shared
            ? ["convert", "-q", "-U", "-f", "qcow2", "-O", "qcow2", source, destination]
            : ["convert", "-q", "-f", "qcow2", "-O", "qcow2", source, destination], cancellationToken);

    /// <summary>Whether the two images read the same (guest-visible content; the length of the shorter).</summary>
    public static async Task<bool> IdenticalAsync(string first, string second, CancellationToken cancellationToken)
    {
        var (exit, output) = await TryRunAsync("qemu-img", ["compare", "-U", "-q", first, second], cancellationToken);
        return exit == 0 || (exit == 1 ? false : throw new InvalidOperationException($"qemu-img compare failed ({exit}): {output}"));
    }

    /// <summary>Allocated bytes (not apparent size) of files and folders, like <c>du -s -B1 -c</c>; hard links once.</summary>
    public static async Task<long> AllocatedBytesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return 0;
        }

        var output = await RunAsync("du", ["-s", "-B1", "-c", .. paths], cancellationToken);
        var total = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.EndsWith("\ttotal", StringComparison.Ordinal));
        return long.Parse(total.Split('\t')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Flushes the page cache's dirty data (untimed, between copies, so one copy's writeback does not run during the next).</summary>
    public static Task SyncAsync(CancellationToken cancellationToken) => RunAsync("sync", [], cancellationToken);

    /// <summary>fsync of one file: its data on disk, without waiting for anybody else's dirty pages (unlike <c>sync</c>).</summary>
    public static async Task FsyncAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        await Task.Run(() => file.Flush(flushToDisk: true));
    }

    public static async Task<string> VersionAsync(string tool, CancellationToken cancellationToken) =>
        (await RunAsync(tool, ["--version"], cancellationToken)).Split('\n')[0].Trim();

    public static double ToMiB(long bytes) => bytes / (double)MiB;

    public static async Task<string> RunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (exit, output) = await TryRunAsync(file, args, cancellationToken);
        return exit == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args.Take(6))}… exited {exit}: {output.Trim()}");
    }

    private static async Task<(int Exit, string Output)> TryRunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Our own child, by its PID.
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
