using Hyperion.Hypervisor.Qemu.Images;

namespace Hyperion.Hypervisor.Tests.Qemu.Images;

public sealed class QemuImgTests
{
    private readonly RecordingProcessRunner _runner = new();

    [Fact]
    public async Task CreateAsync_PlainImage_RunsCreateWithFormatPathAndSizeInBytes()
    {
        await new QemuImg(_runner).CreateAsync("/data/vm1/disk0.qcow2", "qcow2", 10L << 30);

        var call = Assert.Single(_runner.Calls);
        Assert.Equal("qemu-img", call.FileName);
        Assert.Equal(["create", "-q", "-f", "qcow2", "/data/vm1/disk0.qcow2", "10737418240"], call.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(30), call.Timeout);
    }

    [Fact]
    public async Task CreateAsync_WithBackingFile_PassesBackingAndItsFormat()
    {
        await new QemuImg(_runner, "/usr/bin/qemu-img").CreateAsync("/d/overlay.qcow2", "qcow2", 0, "/d/base.qcow2", "qcow2");

        var call = Assert.Single(_runner.Calls);
        Assert.Equal("/usr/bin/qemu-img", call.FileName);
        Assert.Equal(["create", "-q", "-f", "qcow2", "-b", "/d/base.qcow2", "-F", "qcow2", "/d/overlay.qcow2"], call.Arguments);
    }

    [Fact]
    public async Task CreateOverlayAsync_DoesNotOpenTheBackingFile_AndRecordsItsPathAsGiven()
    {
        await new QemuImg(_runner).CreateOverlayAsync("/d/vm/disk0-000001.qcow2", "disk0.qcow2", "raw", 1L << 30);

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(["create", "-q", "-f", "qcow2", "-u", "-b", "disk0.qcow2", "-F", "raw", "/d/vm/disk0-000001.qcow2", "1073741824"], call.Arguments);
    }

    [Fact]
    public async Task ConvertIntoNbdAsync_WithTls_NamesTheTargetByOptions_WithItsOwnClientCredentials()
    {
        await new QemuImg(_runner).ConvertIntoNbdAsync("/d/vm/disk0.qcow2", "qcow2", "nbd://10.0.0.2:10809/drive-disk0", 50L << 20, tls: new NbdTls("/run/h/tls,dir", "host-2.migration.hyperion"));

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(
            ["convert", "-q", "-n", "--target-is-zero", "-f", "qcow2", "-r", "52428800",
             "--object", "tls-creds-x509,id=hyperion-nbd-tls,endpoint=client,dir=/run/h/tls,,dir",
             "--target-image-opts", "/d/vm/disk0.qcow2",
             "driver=nbd,server.type=inet,server.host=10.0.0.2,server.port=10809,export=drive-disk0,tls-creds=hyperion-nbd-tls,tls-hostname=host-2.migration.hyperion"],
            call.Arguments);
    }

    [Fact]
    public async Task CreateAsync_BackingFileWithoutFormat_ThrowsBeforeRunning()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new QemuImg(_runner).CreateAsync("/d/o.qcow2", "qcow2", 0, "/d/base.qcow2"));

        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task CreateAsync_ZeroSizeWithoutBacking_ThrowsBeforeRunning()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new QemuImg(_runner).CreateAsync("/d/o.qcow2", "qcow2", 0));

        Assert.Empty(_runner.Calls);
    }

    [Theory]
    [InlineData("-rf.qcow2", "./-rf.qcow2")]
    [InlineData("nbd:evil", "./nbd:evil")]
    [InlineData("/abs/with:colon.qcow2", "/abs/with:colon.qcow2")]
    [InlineData("plain.qcow2", "plain.qcow2")]
    public async Task CreateAsync_PathQemuWouldMisparse_IsMadeExplicitlyRelative(string path, string expected)
    {
        await new QemuImg(_runner).CreateAsync(path, "raw", 1024);

        Assert.Equal(expected, Assert.Single(_runner.Calls).Arguments[4]);
    }

    [Fact]
    public async Task InfoAsync_RecordedOutput_RunsInfoJsonForceShareAndParses()
    {
        _runner.Returns(0, QemuImgOutputs.Qcow2WithBacking);

        var info = await new QemuImg(_runner).InfoAsync("/d/overlay.qcow2");

        Assert.Equal(["info", "--output=json", "-U", "/d/overlay.qcow2"], Assert.Single(_runner.Calls).Arguments);
        Assert.Equal("qcow2", info.BackingFormat);
    }

    [Fact]
    public async Task InfoAsync_NonZeroExit_ThrowsQemuImgExceptionWithStderr()
    {
        _runner.Returns(1, standardError: QemuImgOutputs.MissingFileError);

        var error = await Assert.ThrowsAsync<QemuImgException>(() => new QemuImg(_runner).InfoAsync("nonexist.qcow2"));

        Assert.Equal(1, error.ExitCode);
        Assert.Equal(QemuImgOutputs.MissingFileError, error.StandardError);
        Assert.Equal("qemu-img info --output=json -U nonexist.qcow2", error.CommandLine);
        Assert.Equal(
            "qemu-img info failed (exit 1): Could not open 'nonexist.qcow2': Could not open 'nonexist.qcow2': No such file or directory",
            error.Message);
    }

    [Fact]
    public async Task InfoAsync_UnreadableOutput_ThrowsQemuImgException()
    {
        _runner.Returns(0, "garbage");

        var error = await Assert.ThrowsAsync<QemuImgException>(() => new QemuImg(_runner).InfoAsync("/d/x.qcow2"));

        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public async Task RunAsync_TimedOut_ThrowsQemuImgExceptionMarkedTimedOut()
    {
        _runner.Returns(137, timedOut: true);

        var error = await Assert.ThrowsAsync<QemuImgException>(() => new QemuImg(_runner).ResizeAsync("/d/x.qcow2", 1024));

        Assert.True(error.TimedOut);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BinaryMissing_MessageCarriesRunnerError()
    {
        _runner.Returns(127, standardError: "cannot run qemu-img: No such file or directory");

        var error = await Assert.ThrowsAsync<QemuImgException>(() => new QemuImg(_runner).CreateAsync("/d/x.raw", "raw", 1024));

        Assert.Equal("qemu-img create failed (exit 127): cannot run qemu-img: No such file or directory", error.Message);
    }

    [Fact]
    public async Task ConvertAsync_WithSourceFormat_RunsConvertWithLongTimeout()
    {
        await new QemuImg(_runner).ConvertAsync("/d/a.qcow2", "qcow2", "/d/b.raw", "raw");

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(["convert", "-q", "-f", "qcow2", "-O", "raw", "/d/a.qcow2", "/d/b.raw"], call.Arguments);
        Assert.Equal(TimeSpan.FromMinutes(10), call.Timeout);
    }

    [Fact]
    public async Task ConvertAsync_WithoutSourceFormat_OmitsDashF()
    {
        await new QemuImg(_runner) { ConvertTimeout = TimeSpan.FromHours(1) }.ConvertAsync("/d/a.img", null, "/d/b.qcow2", "qcow2");

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(["convert", "-q", "-O", "qcow2", "/d/a.img", "/d/b.qcow2"], call.Arguments);
        Assert.Equal(TimeSpan.FromHours(1), call.Timeout);
    }

    [Fact]
    public async Task ResizeAsync_Size_RunsResizeInBytes()
    {
        await new QemuImg(_runner).ResizeAsync("/d/a.qcow2", 2L << 30);

        Assert.Equal(["resize", "-q", "/d/a.qcow2", "2147483648"], Assert.Single(_runner.Calls).Arguments);
    }

    [Fact]
    public async Task SnapshotCommands_Name_RunSnapshotWithOperationFlag()
    {
        var img = new QemuImg(_runner);

        await img.SnapshotCreateAsync("/d/a.qcow2", "before-upgrade");
        await img.SnapshotApplyAsync("/d/a.qcow2", "before-upgrade");
        await img.SnapshotDeleteAsync("/d/a.qcow2", "before-upgrade");

        Assert.Equal(
            [
                ["snapshot", "-c", "before-upgrade", "/d/a.qcow2"],
                ["snapshot", "-a", "before-upgrade", "/d/a.qcow2"],
                ["snapshot", "-d", "before-upgrade", "/d/a.qcow2"],
            ],
            _runner.Calls.Select(c => c.Arguments.ToArray()));
    }

    [Fact]
    public async Task SnapshotDeleteAsync_UnknownSnapshot_ThrowsQemuImgException()
    {
        _runner.Returns(1, standardError: "qemu-img: Could not delete snapshot 'nope': snapshot not found\n");

        var error = await Assert.ThrowsAsync<QemuImgException>(() => new QemuImg(_runner).SnapshotDeleteAsync("/d/a.qcow2", "nope"));

        Assert.Equal("qemu-img snapshot failed (exit 1): Could not delete snapshot 'nope': snapshot not found", error.Message);
    }

    [Fact]
    public async Task SnapshotListAsync_RecordedInfo_ReturnsSnapshots()
    {
        _runner.Returns(0, QemuImgOutputs.Qcow2WithSnapshots);

        var snapshots = await new QemuImg(_runner).SnapshotListAsync("/d/snap.qcow2");

        Assert.Equal(["before-upgrade", "second"], snapshots.Select(s => s.Name));
        Assert.Equal("info", _runner.Calls[0].Arguments[0]);
    }

    [Fact]
    public async Task CheckAsync_RecordedCleanImage_IsConsistent()
    {
        _runner.Returns(0, QemuImgOutputs.CheckClean);

        var check = await new QemuImg(_runner).CheckAsync("/d/snap.qcow2");

        Assert.Equal(["check", "--output=json", "/d/snap.qcow2"], Assert.Single(_runner.Calls).Arguments);
        Assert.True(check.IsConsistent);
        Assert.Equal(0, check.Leaks);
    }

    [Fact]
    public async Task CheckAsync_LeaksOnlyExitCode3_ReturnsReportInsteadOfThrowing()
    {
        _runner.Returns(3, """{"check-errors": 0, "leaks": 2, "format": "qcow2"}""", "Leaked cluster 9 refcount=1 reference=0\n");

        var check = await new QemuImg(_runner).CheckAsync("/d/x.qcow2");

        Assert.Equal(2, check.Leaks);
        Assert.True(check.IsConsistent);
    }

    [Fact]
    public async Task CheckAsync_Corruptions_ReportsInconsistent()
    {
        _runner.Returns(2, """{"check-errors": 0, "corruptions": 1, "format": "qcow2"}""");

        var check = await new QemuImg(_runner).CheckAsync("/d/x.qcow2");

        Assert.False(check.IsConsistent);
    }

    [Fact]
    public async Task RunAsync_Canceled_PropagatesOperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new QemuImg(_runner).InfoAsync("/d/x.qcow2", cancellation.Token));
    }
}
