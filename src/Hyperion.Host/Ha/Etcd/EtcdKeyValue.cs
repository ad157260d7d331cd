namespace Hyperion.Host.Ha.Etcd;

/// <summary>One key of etcd with its value (UTF-8), the lease it is bound to (0: none) and its revisions.</summary>
internal sealed record EtcdKeyValue(string Key, string Value, long Lease, long CreateRevision, long ModRevision);
