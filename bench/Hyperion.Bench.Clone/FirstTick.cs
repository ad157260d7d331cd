using System.Diagnostics;

namespace Hyperion.Bench.Clone;

/// <summary>
/// Waits for the tiny guest's first <c>tick 1</c> line in a serial log file (written by QEMU itself, appended across
/// boots), reading from an offset and polling every 2 ms, as the power-on benchmark does.
/// </summary>
internal static class FirstTick
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static long Offset(string serialLog) => File.Exists(serialLog) ? new FileInfo(serialLog).Length : 0;

    /// <summary>Milliseconds on <paramref name="clock"/> when the line appeared.</summary>
    public static async Task<double> WaitAsync(string serialLog, long offset, Stopwatch clock, CancellationToken cancellationToken)
    {
        var started = clock.Elapsed;
        while (clock.Elapsed - started < Timeout)
        {
            if (File.Exists(serialLog))
            {
                var text = ReadFrom(serialLog, offset);
                if (text.Contains("tick 1\n", StringComparison.Ordinal) || text.Contains("tick 1\r", StringComparison.Ordinal))
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }

            await Task.Delay(2, cancellationToken);
        }

        throw new TimeoutException($"no 'tick 1' in {serialLog} within {Timeout.TotalSeconds:F0} s");
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = Math.Min(offset, stream.Length);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
