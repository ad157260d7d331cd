namespace Hyperion.Domain.Errors;

/// <summary>Stable error codes shared by the API (problem details <c>code</c>), the CLI and logs.</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "request.invalid";
    public const string Unauthorized = "auth.unauthorized";
    public const string Forbidden = "auth.forbidden";
    public const string VmNotFound = "vm.not-found";
    public const string VmDuplicateName = "vm.duplicate-name";
    public const string VmInvalidState = "vm.invalid-state";
    public const string VmInvalidSpec = "vm.invalid-spec";
    public const string VmStartFailed = "vm.start-failed";
    public const string VmShutdownTimeout = "vm.shutdown-timeout";
    public const string VmAlreadyRegistered = "vm.already-registered";
    public const string VmFolderInvalid = "vm.folder-invalid";
    public const string ImageNotFound = "image.not-found";
    public const string DatastoreNotFound = "datastore.not-found";
    public const string DatastorePathEscapes = "datastore.path-escapes";
    public const string DatastoreNoSpace = "datastore.no-space";
    public const string HostNoCapacity = "host.no-capacity";
    public const string HostNotFound = "host.not-found";
    public const string HostFingerprintUnconfirmed = "host.fingerprint-unconfirmed";
    public const string HostDuplicateAddress = "host.duplicate-address";
    public const string HostAuthFailed = "host.auth-failed";
    public const string HostUnreachable = "host.unreachable";
    public const string HypervisorError = "hypervisor.error";
    public const string InventoryNotFound = "inventory.not-found";
    public const string InventoryDuplicateName = "inventory.duplicate-name";
    public const string InventoryInvalidName = "inventory.invalid-name";
    public const string UserNotFound = "user.not-found";
    public const string UserDuplicateName = "user.duplicate-name";
    public const string UserInvalid = "user.invalid";
    public const string RoleNotFound = "role.not-found";
    public const string RoleInUse = "role.in-use";
    public const string TaskNotFound = "task.not-found";
    public const string TaskNotCancellable = "task.not-cancellable";
    public const string TaskFinished = "task.finished";
    public const string TaskCancelled = "task.cancelled";
    public const string TaskInterrupted = "task.interrupted";
    public const string HostNotConnected = "host.not-connected";
    public const string HostInMaintenance = "host.in-maintenance";
    public const string MetricsInvalidInterval = "metrics.invalid-interval";
    public const string MetricsUnknownCounter = "metrics.unknown-counter";
    public const string MigrationNotFound = "migration.not-found";
    public const string SnapshotNotFound = "snapshot.not-found";
    public const string VmIsTemplate = "vm.is-template";
    public const string TemplateInUse = "template.in-use";
    public const string LibraryItemNotFound = "library.item-not-found";
    public const string LibraryDuplicateName = "library.duplicate-name";
    public const string LibraryInvalidContent = "library.invalid-content";
    public const string LibraryItemInUse = "library.item-in-use";
    public const string MigrationInvalidState = "migration.invalid-state";
    public const string MigrationSameHost = "migration.same-host";
    public const string MigrationIncompatible = "migration.incompatible";
    public const string MigrationFailed = "migration.failed";
    public const string HostCpuUnsupported = "host.cpu-unsupported";
    public const string CustomizationInvalid = "customization.invalid";
}
