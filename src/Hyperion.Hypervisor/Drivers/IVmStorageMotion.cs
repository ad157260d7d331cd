namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// Moving a running VM's storage without stopping it (Storage vMotion): block mirror jobs copy each disk to a new file
/// while the guest keeps writing, then pivot onto the copies; the serial log follows to the new folder.
/// </summary>
public interface IVmStorageMotion
{
    /// <summary>Starts mirroring the disk <paramref name="device"/> (e.g. <c>drive-disk0</c>) into the existing, empty
    /// image <paramref name="targetPath"/> of <paramref name="format"/>; the job is named <paramref name="jobId"/>.</summary>
    Task StartDiskMirrorAsync(string jobId, string device, string targetPath, string format, long? bytesPerSecond, CancellationToken cancellationToken);

    /// <summary>Starts mirroring the disk <paramref name="device"/> to an NBD export (<c>nbd://HOST:PORT/NAME</c>) of the
    /// same size. The job stays listed after it ends (concluded, with its error if any) until <see cref="DismissJobAsync"/>.
    /// With <paramref name="tlsHostname"/> the connection is TLS with the credentials of <see cref="UseNbdTlsAsync"/>,
    /// the server's certificate checked against that name; the target is then a node of its own, removed by
    /// <see cref="ReleaseNbdTargetAsync"/>.</summary>
    Task StartNbdMirrorAsync(string jobId, string device, string nbdUri, long? bytesPerSecond, string? tlsHostname, CancellationToken cancellationToken);

    /// <summary>Loads the client TLS credentials (<c>ca-cert.pem</c>, <c>client-cert.pem</c>, <c>client-key.pem</c> in
    /// <paramref name="directory"/>) for NBD mirrors; null removes them (when no mirror uses them any more).</summary>
    Task UseNbdTlsAsync(string? directory, CancellationToken cancellationToken);

    /// <summary>Removes the NBD target node of a TLS mirror job once the job is gone (best effort).</summary>
    Task ReleaseNbdTargetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Forgets a concluded job (job-dismiss).</summary>
    Task DismissJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>QEMU's block jobs (query-block-jobs).</summary>
    Task<IReadOnlyList<VmBlockJob>> QueryBlockJobsAsync(CancellationToken cancellationToken);

    /// <summary>Pivots a ready mirror onto its target (block-job-complete).</summary>
    Task CompleteBlockJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Abandons a job (block-job-cancel, forced): the VM keeps its original disk.</summary>
    Task CancelBlockJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Ends a ready mirror without pivoting (block-job-cancel, not forced): QEMU first writes what the target
    /// still lacks, so with the guest paused the target is then an exact copy. Shared-nothing migration ends its
    /// mirrors this way at pre-switchover.</summary>
    Task DetachMirrorAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Lets a migration paused at <c>pre-switchover</c> (see <see cref="VmMigrationSettings.PauseBeforeSwitchover"/>) go on (migrate-continue).</summary>
    Task ContinueMigrationAsync(CancellationToken cancellationToken);

    /// <summary>Points the serial port's backend at a new log file (chardev-change), keeping its socket.</summary>
    Task ChangeSerialLogAsync(string socketPath, string logPath, CancellationToken cancellationToken);
}

/// <summary>One block job: <paramref name="Offset"/> of <paramref name="Length"/> bytes done; <paramref name="Ready"/> once a mirror is in sync.</summary>
public sealed record VmBlockJob(string Id, string Type, string Status, long Offset, long Length, bool Ready, string? Error);
