using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.CloudInit;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Tests.Qemu.Images;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.CloudInit;

public sealed class NoCloudSeedWriterTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TestDirectory _dir = new("hyseed");
    private readonly GuestCustomization _customization = new() { Hostname = "web1", User = "alice", Password = "pw" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_Success_RunsGenisoimageWithArgvOnStagedFilesAndRenamesIntoPlace()
    {
        var runner = new FakeGenisoimage();
        var iso = _dir.Combine("seed.iso");

        await new NoCloudSeedWriter(runner, "/usr/bin/genisoimage").WriteAsync(_customization, "vm-3-1", iso, CancellationToken.None);

        var spec = runner.Spec!;
        var expected = NoCloudSeed.Render(_customization, "vm-3-1");
        Assert.Equal("/usr/bin/genisoimage", spec.FileName);
        var output = spec.Arguments[2];
        Assert.Equal(["-quiet", "-output", output, "-volid", "cidata", "-joliet", "-rock", "user-data", "meta-data", "network-config"], spec.Arguments);
        Assert.Equal(_dir.Path, Path.GetDirectoryName(output));
        Assert.NotEqual(iso, output);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Timeout);
        Assert.Equal(expected.UserData, runner.Staged["user-data"].Text);
        Assert.Equal(expected.MetaData, runner.Staged["meta-data"].Text);
        Assert.Equal(expected.NetworkConfig, runner.Staged["network-config"].Text);
        Assert.All(runner.Staged.Values, f => Assert.Equal(OwnerOnly, f.Mode));
        Assert.Equal(OwnerOnly, runner.OutputModeBeforeRun);
        Assert.Equal("fake iso"u8.ToArray(), await File.ReadAllBytesAsync(iso));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(iso));
        Assert.Equal(["seed.iso"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
        Assert.False(Directory.Exists(spec.WorkingDirectory), "the staging directory is removed");
    }

    [Fact]
    public async Task WriteAsync_GenisoimageFails_ExceptionWithCommandLineAndStderrOldSeedKeptNoLeftovers()
    {
        var runner = new FakeGenisoimage { Result = new ProcessResult(1, string.Empty, "genisoimage: Invalid node - '-bad'.\nmore", TimeSpan.Zero) };
        var iso = _dir.Combine("seed.iso");
        await File.WriteAllTextAsync(iso, "previous seed");

        var error = await Assert.ThrowsAsync<NoCloudSeedException>(() => new NoCloudSeedWriter(runner).WriteAsync(_customization, "i", iso, CancellationToken.None));

        Assert.Equal("genisoimage failed (exit 1): genisoimage: Invalid node - '-bad'.", error.Message);
        Assert.Equal(1, error.ExitCode);
        Assert.Equal("genisoimage: Invalid node - '-bad'.\nmore", error.StandardError);
        Assert.StartsWith("genisoimage -quiet -output " + _dir.Path + "/.seed.iso.", error.CommandLine, StringComparison.Ordinal);
        Assert.EndsWith(" -volid cidata -joliet -rock user-data meta-data network-config", error.CommandLine, StringComparison.Ordinal);
        Assert.Equal("previous seed", await File.ReadAllTextAsync(iso));
        Assert.Equal(["seed.iso"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
        Assert.False(Directory.Exists(runner.Spec!.WorkingDirectory));
    }

    [Fact]
    public async Task WriteAsync_Timeout_TimedOutException()
    {
        var runner = new RecordingProcessRunner().Returns(-1, timedOut: true);

        var error = await Assert.ThrowsAsync<NoCloudSeedException>(() =>
            new NoCloudSeedWriter(runner) { CommandTimeout = TimeSpan.FromSeconds(2) }.WriteAsync(_customization, "i", _dir.Combine("s.iso"), CancellationToken.None));

        Assert.True(error.TimedOut);
        Assert.Equal("genisoimage timed out after 00:00:02.", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.False(Directory.Exists(Assert.Single(runner.Calls).WorkingDirectory));
    }

    [Fact]
    public async Task WriteAsync_ExitZeroButEmptyOutput_RefusedNothingPublished()
    {
        var runner = new RecordingProcessRunner();

        var error = await Assert.ThrowsAsync<NoCloudSeedException>(() => new NoCloudSeedWriter(runner).WriteAsync(_customization, "i", _dir.Combine("s.iso"), CancellationToken.None));

        Assert.Contains("wrote nothing", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.False(Directory.Exists(Assert.Single(runner.Calls).WorkingDirectory));
    }

    [Fact]
    public async Task WriteAsync_MissingBinary_ExceptionNamesIt()
    {
        var error = await Assert.ThrowsAsync<NoCloudSeedException>(() =>
            new NoCloudSeedWriter(new SystemProcessRunner(), "/nonexistent/genisoimage").WriteAsync(_customization, "i", _dir.Combine("s.iso"), CancellationToken.None));

        Assert.Equal(127, error.ExitCode);
        Assert.Contains("cannot run /nonexistent/genisoimage", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task WriteAsync_InvalidCustomization_DomainExceptionBeforeRunningAnything()
    {
        var runner = new RecordingProcessRunner();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            new NoCloudSeedWriter(runner).WriteAsync(new GuestCustomization { Hostname = "no_underscores" }, "i", _dir.Combine("s.iso"), CancellationToken.None));

        Assert.Equal("customization.hostname", Assert.Single(error.Errors).Field);
        Assert.Empty(runner.Calls);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task WriteAsync_Cancelled_NoLeftovers()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new NoCloudSeedWriter(new RecordingProcessRunner()).WriteAsync(_customization, "i", _dir.Combine("s.iso"), cancelled.Token));

        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}
