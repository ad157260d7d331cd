namespace Hyperion.Bench.Migration;

/// <summary>Polls a guest's serial console until it says what is waited for.</summary>
internal static class SerialWait
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>The log once <paramref name="done"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task<string> UntilAsync(Func<Task<string>> read, Func<string, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var (log, ok) = await TryUntilAsync(read, done, timeout, cancellationToken);
        return ok ? log : throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s; the console ends with: {Tail(log)}");
    }

    /// <summary>The log and whether <paramref name="done"/> held before <paramref name="timeout"/>.</summary>
    public static async Task<(string Log, bool Done)> TryUntilAsync(Func<Task<string>> read, Func<string, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var log = await read();
            if (done(log))
            {
                return (log, true);
            }

            if (DateTime.UtcNow > deadline)
            {
                return (log, false);
            }

            await Task.Delay(Period, cancellationToken);
        }
    }

    public static string Tail(string log) => log.Length > 300 ? "…" + log[^300..].Replace('\n', '|') : log.Replace('\n', '|');
}
