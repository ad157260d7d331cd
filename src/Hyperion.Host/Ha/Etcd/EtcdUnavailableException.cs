namespace Hyperion.Host.Ha.Etcd;

/// <summary>No etcd endpoint answered (unreachable, timed out, or without a leader/quorum).</summary>
internal sealed class EtcdUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
