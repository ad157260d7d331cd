using System.Globalization;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>
/// Creates and inspects disk images by running <c>qemu-img</c> with an argv (never a shell).
/// Every failure surfaces as <see cref="QemuImgException"/> carrying the command line, exit code and stderr.
/// </summary>
public sealed class QemuImg(IProcessRunner runner, string binary = "qemu-img")
{
    // qemu-img check: 2 = corruptions found, 3 = only leaks found; both still print a full report.
    private const int CheckFoundCorruptions = 2;
    private const int CheckFoundLeaks = 3;

    /// <summary>Limit for metadata operations (info, create, snapshot, resize, check). Default: 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for <see cref="ConvertAsync"/>, which copies the whole disk. Default: 10 minutes.</summary>
    public TimeSpan ConvertTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Creates an image; with a backing file it is a copy-on-write overlay of that file.</summary>
    /// <param name="sizeBytes">Virtual size; 0 with a backing file means "the backing file's size".</param>
    /// <param name="backingFormat">Required with <paramref name="backingFile"/>: QEMU refuses to guess it (probing a raw backing file is unsafe).</param>
    public Task CreateAsync(string path, string format, long sizeBytes, string? backingFile = null, string? backingFormat = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        if (backingFile is null && backingFormat is not null)
        {
            throw new ArgumentException("A backing format needs a backing file.", nameof(backingFormat));
        }

        if (backingFile is not null && string.IsNullOrEmpty(backingFormat))
        {
            throw new ArgumentException("A backing file needs its format.", nameof(backingFormat));
        }

        if (backingFile is null && sizeBytes == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), sizeBytes, "Size 0 is only meaningful with a backing file.");
        }

        var arguments = new List<string> { "create", "-q", "-f", format };
        if (backingFile is not null)
        {
            arguments.AddRange(["-b", backingFile, "-F", backingFormat!]);
        }

        arguments.Add(SafePath(path));
        if (sizeBytes > 0)
        {
            arguments.Add(Bytes(sizeBytes));
        }

        return RunAsync(arguments, CommandTimeout, cancellationToken);
    }

    /// <summary>
    /// Creates an empty qcow2 overlay on <paramref name="backingFile"/> without opening it (<c>-u</c>): the backing file
    /// may be held by a running VM's image lock. The path is recorded as given (relative to the overlay's folder or absolute).
    /// </summary>
    public Task CreateOverlayAsync(string path, string backingFile, string backingFormat, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(backingFile);
        ArgumentException.ThrowIfNullOrEmpty(backingFormat);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        List<string> arguments = ["create", "-q", "-f", "qcow2", "-u", "-b", backingFile, "-F", backingFormat, SafePath(path), Bytes(sizeBytes)];
        return RunAsync(arguments, CommandTimeout, cancellationToken);
    }

    /// <summary>Reads the image's metadata. Uses <c>-U</c> so it also works while a running VM holds the image lock.</summary>
    public async Task<QemuImageInfo> InfoAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        List<string> arguments = ["info", "--output=json", "-U", SafePath(path)];
        var result = await RunAsync(arguments, CommandTimeout, cancellationToken);
        try
        {
            return QemuImageInfo.Parse(result.StandardOutput);
        }
        catch (InvalidDataException ex)
        {
            throw new QemuImgException($"qemu-img info printed unreadable output: {ex.Message}", CommandLine(arguments), result.ExitCode, result.StandardError, innerException: ex);
        }
    }

    /// <summary>Copies an image into a new file, changing format as needed (also flattens a backing chain).</summary>
    /// <param name="sourceFormat">Null lets qemu-img probe; pass it whenever known.</param>
    /// <param name="options">Output format options (<c>-o</c>), e.g. <c>subformat=streamOptimized</c> for an OVF's VMDK.</param>
    public Task ConvertAsync(string source, string? sourceFormat, string destination, string destinationFormat, string? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentException.ThrowIfNullOrEmpty(destinationFormat);
        var arguments = new List<string> { "convert", "-q" };
        if (sourceFormat is not null)
        {
            arguments.AddRange(["-f", sourceFormat]);
        }

        if (options is not null)
        {
            arguments.AddRange(["-o", options]);
        }

        arguments.AddRange(["-O", destinationFormat, SafePath(source), SafePath(destination)]);
        return RunAsync(arguments, ConvertTimeout, cancellationToken);
    }

    /// <summary>
    /// Copies the disk as it was at internal snapshot <paramref name="snapshotTag"/> into a new image (<c>-l
    /// snapshot.name=</c>). Uses <c>-U</c>: a snapshot's clusters never change while it exists, so it can be read while a
    /// running VM holds the image (the caller keeps snapshots from being created or deleted meanwhile).
    /// </summary>
    public Task ConvertSnapshotAsync(string source, string sourceFormat, string snapshotTag, string destination, string destinationFormat, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(snapshotTag);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        List<string> arguments = ["convert", "-q", "-U", "-f", sourceFormat, "-l", $"snapshot.name={snapshotTag}", "-O", destinationFormat, SafePath(source), SafePath(destination)];
        return RunAsync(arguments, ConvertTimeout, cancellationToken);
    }

    /// <summary>
    /// Writes an image's guest-visible content into an existing NBD export (<c>nbd://host:port/name</c>, e.g. another
    /// host's empty copy of the disk): <c>-n --target-is-zero</c>, so zero areas are skipped and the copy stays sparse.
    /// qemu-img flushes the export before it exits.
    /// </summary>
    /// <param name="bytesPerSecond">Rate limit (<c>-r</c>); null: as fast as it goes.</param>
    /// <param name="tls">TLS to the export: a folder with <c>ca-cert.pem</c>, <c>client-cert.pem</c>, <c>client-key.pem</c>
    /// and the name the server's certificate must carry; null: in the clear.</param>
    public Task ConvertIntoNbdAsync(string source, string sourceFormat, string target, long? bytesPerSecond = null, NbdTls? tls = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(sourceFormat);
        if (!target.StartsWith("nbd://", StringComparison.Ordinal) && !target.StartsWith("nbd+unix://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{target}' is not an NBD URI", nameof(target));
        }

        var arguments = new List<string> { "convert", "-q", "-n", "--target-is-zero", "-f", sourceFormat };
        if (bytesPerSecond is > 0)
        {
            arguments.AddRange(["-r", bytesPerSecond.Value.ToString(CultureInfo.InvariantCulture)]);
        }

        if (tls is null)
        {
            arguments.AddRange(["-O", "raw", SafePath(source), target]);
            return RunAsync(arguments, ConvertTimeout, cancellationToken);
        }

        // The target as options (a URI cannot name TLS credentials): the NBD client with an x509 object of its own.
        var uri = new Uri(target);
        if (uri.Scheme != "nbd")
        {
            throw new ArgumentException($"TLS needs an nbd://host:port/export target, not '{target}'", nameof(target));
        }

        const string credentials = "hyperion-nbd-tls";
        arguments.AddRange([
            "--object", $"tls-creds-x509,id={credentials},endpoint=client,dir={OptionValue(tls.Directory)}",
            "--target-image-opts", SafePath(source),
            $"driver=nbd,server.type=inet,server.host={OptionValue(uri.Host.Trim('[', ']'))},server.port={uri.Port.ToString(CultureInfo.InvariantCulture)}," +
            $"export={OptionValue(Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')))},tls-creds={credentials},tls-hostname={OptionValue(tls.Hostname)}",
        ]);
        return RunAsync(arguments, ConvertTimeout, cancellationToken);
    }

    /// <summary>A value inside QEMU's comma-separated options: a comma is written twice.</summary>
    private static string OptionValue(string value) => value.Replace(",", ",,", StringComparison.Ordinal);

    /// <summary>Grows the image's virtual size. Shrinking is refused by qemu-img (it needs --shrink, which this does not pass) to protect data.</summary>
    public Task ResizeAsync(string path, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        return RunAsync(["resize", "-q", SafePath(path), Bytes(sizeBytes)], CommandTimeout, cancellationToken);
    }

    /// <summary>Takes an internal (qcow2) snapshot of an image that no running VM uses.</summary>
    public Task SnapshotCreateAsync(string path, string name, CancellationToken cancellationToken = default) =>
        SnapshotAsync("-c", path, name, cancellationToken);

    /// <summary>The image's internal snapshots, oldest first.</summary>
    public async Task<IReadOnlyList<QemuImageSnapshot>> SnapshotListAsync(string path, CancellationToken cancellationToken = default) =>
        (await InfoAsync(path, cancellationToken)).Snapshots;

    public Task SnapshotDeleteAsync(string path, string name, CancellationToken cancellationToken = default) =>
        SnapshotAsync("-d", path, name, cancellationToken);

    /// <summary>Reverts the image's disk contents to the snapshot.</summary>
    public Task SnapshotApplyAsync(string path, string name, CancellationToken cancellationToken = default) =>
        SnapshotAsync("-a", path, name, cancellationToken);

    /// <summary>Checks image metadata consistency. Formats without metadata (raw) cannot be checked and throw.</summary>
    public async Task<QemuImageCheck> CheckAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        List<string> arguments = ["check", "--output=json", SafePath(path)];
        var result = await RunAsync(arguments, CommandTimeout, cancellationToken, okExitCodes: [CheckFoundCorruptions, CheckFoundLeaks]);
        try
        {
            return QemuImageCheck.Parse(result.StandardOutput);
        }
        catch (InvalidDataException ex)
        {
            throw new QemuImgException($"qemu-img check printed unreadable output: {ex.Message}", CommandLine(arguments), result.ExitCode, result.StandardError, innerException: ex);
        }
    }

    private Task<ProcessResult> SnapshotAsync(string operation, string path, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return RunAsync(["snapshot", operation, name, SafePath(path)], CommandTimeout, cancellationToken);
    }

    private async Task<ProcessResult> RunAsync(List<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, int[]? okExitCodes = null)
    {
        var result = await runner.RunAsync(new ProcessSpec(binary, arguments) { Timeout = timeout }, cancellationToken);
        if (result.TimedOut)
        {
            throw new QemuImgException(
                $"qemu-img {arguments[0]} timed out after {timeout}.", CommandLine(arguments), result.ExitCode, result.StandardError, timedOut: true);
        }

        if (result.ExitCode != 0 && (okExitCodes is null || !okExitCodes.Contains(result.ExitCode)))
        {
            throw new QemuImgException(
                $"qemu-img {arguments[0]} failed (exit {result.ExitCode}): {FirstLine(result.StandardError)}",
                CommandLine(arguments),
                result.ExitCode,
                result.StandardError);
        }

        return result;
    }

    private string CommandLine(List<string> arguments) => binary + " " + string.Join(' ', arguments);

    private static string FirstLine(string standardError)
    {
        var line = standardError.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        // qemu-img prefixes every message with its own name, which the exception message already says.
        var text = line.ToString();
        return text.StartsWith("qemu-img: ", StringComparison.Ordinal) ? text["qemu-img: ".Length..] : text.Length == 0 ? "(no error output)" : text;
    }

    private static string Bytes(long sizeBytes) => sizeBytes.ToString(CultureInfo.InvariantCulture);

    // qemu-img parses "-x" as an option and "proto:rest" in a relative name as a protocol (nbd:, json:, ...);
    // "./" makes such a name an ordinary file without changing which file it is.
    private static string SafePath(string path) =>
        !Path.IsPathRooted(path) && (path.StartsWith('-') || path.Contains(':', StringComparison.Ordinal)) ? "./" + path : path;
}
