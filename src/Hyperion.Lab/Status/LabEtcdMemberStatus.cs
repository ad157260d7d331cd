namespace Hyperion.Lab.Status;

/// <summary>An etcd member of the lab: process alive, and <see cref="Healthy"/> as its <c>/health</c> answered (null: not asked, its process is gone).</summary>
public sealed record LabEtcdMemberStatus(string Name, string ClientUrl, int Pid, bool Alive, bool? Healthy);
