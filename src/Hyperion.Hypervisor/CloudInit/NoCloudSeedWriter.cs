using System.Text;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.CloudInit;

/// <summary>
/// Writes a cloud-init NoCloud seed: an ISO 9660 image labelled <c>cidata</c> holding <c>meta-data</c>,
/// <c>user-data</c> and <c>network-config</c> (attach it to the VM as a read-only disk or CD-ROM). The image is made by
/// <c>genisoimage</c>, run with an argv (never a shell) through the injected <see cref="IProcessRunner"/>.
/// </summary>
/// <remarks>
/// The seed appears at its path only when complete (written beside it, then renamed), readable by its owner only (it
/// may hold a plain-text password). The staging directory with the three files is removed whatever happens.
/// </remarks>
public sealed class NoCloudSeedWriter(IProcessRunner runner, string genisoimage = "genisoimage")
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Limit for one <c>genisoimage</c> run (a seed is a few KiB). Default: 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Renders <paramref name="customization"/> (see <see cref="NoCloudSeed.Render"/>) and writes the seed image to <paramref name="isoPath"/>, replacing any earlier one.</summary>
    /// <exception cref="Domain.Errors.DomainException">The customization is invalid (<c>customization.invalid</c>); nothing was written.</exception>
    /// <exception cref="NoCloudSeedException">genisoimage failed, timed out or is missing; <paramref name="isoPath"/> is unchanged.</exception>
    public async Task WriteAsync(GuestCustomization customization, string instanceId, string isoPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(isoPath);
        var files = NoCloudSeed.Render(customization, instanceId);
        var destination = Path.GetFullPath(isoPath);
        var directory = Path.GetDirectoryName(destination) ?? throw new ArgumentException($"'{isoPath}' has no directory", nameof(isoPath));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");

        // 0700 directory with the plain texts; files inside it inherit nothing, so give them 0600 too.
        var staging = Directory.CreateTempSubdirectory("hyperion-seed-");
        try
        {
            await WriteTextAsync(Path.Combine(staging.FullName, NoCloudSeedFiles.UserDataName), files.UserData, cancellationToken);
            await WriteTextAsync(Path.Combine(staging.FullName, NoCloudSeedFiles.MetaDataName), files.MetaData, cancellationToken);
            await WriteTextAsync(Path.Combine(staging.FullName, NoCloudSeedFiles.NetworkConfigName), files.NetworkConfig, cancellationToken);

            // Created empty with 0600 first: genisoimage truncates and fills it, keeping the mode.
            using (new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
            }

            // Relative names from the staging directory: no path can be read as an option or a graft point ("a=b").
            List<string> arguments =
            [
                "-quiet", "-output", temporary, "-volid", NoCloudSeedFiles.VolumeLabel, "-joliet", "-rock",
                NoCloudSeedFiles.UserDataName, NoCloudSeedFiles.MetaDataName, NoCloudSeedFiles.NetworkConfigName,
            ];
            var result = await runner.RunAsync(new ProcessSpec(genisoimage, arguments) { Timeout = CommandTimeout, WorkingDirectory = staging.FullName }, cancellationToken);
            if (result.TimedOut)
            {
                throw new NoCloudSeedException($"genisoimage timed out after {CommandTimeout}.", CommandLine(arguments), result.ExitCode, result.StandardError, timedOut: true);
            }

            if (result.ExitCode != 0)
            {
                throw new NoCloudSeedException(
                    $"genisoimage failed (exit {result.ExitCode}): {FirstLine(result.StandardError)}", CommandLine(arguments), result.ExitCode, result.StandardError);
            }

            if (new FileInfo(temporary).Length == 0)
            {
                throw new NoCloudSeedException("genisoimage exited 0 but wrote nothing.", CommandLine(arguments), result.ExitCode, result.StandardError);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
            try
            {
                staging.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover staging directory in /tmp is not worth hiding the real error for.
            }
        }
    }

    private static async Task WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(Utf8.GetBytes(text), cancellationToken);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private string CommandLine(List<string> arguments) => genisoimage + " " + string.Join(' ', arguments);

    private static string FirstLine(string standardError)
    {
        var text = standardError.Trim();
        var newline = text.IndexOfAny(['\r', '\n']);
        return newline >= 0 ? text[..newline] : text.Length == 0 ? "(no error output)" : text;
    }
}
